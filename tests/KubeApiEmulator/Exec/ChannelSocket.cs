using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace KubeApiEmulator.Exec;

/// <summary>
/// The sending half of a channel WebSocket. A WebSocket allows one send at a time, so frames from stdout, stderr
/// and the status channel are serialised here; each send is awaited, which bounds what a fast producer can buffer.
/// </summary>
internal sealed class ChannelSocket(WebSocket socket, ChannelProtocol protocol, CancellationToken aborted)
{
    private readonly SemaphoreSlim sendLock = new(1, 1);

    public WebSocket WebSocket => socket;

    public ChannelProtocol Protocol => protocol;

    public async Task SendAsync(byte channel, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, cancellationToken);
        await sendLock.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            if (protocol.Base64)
            {
                var text = (char)('0' + channel) + Convert.ToBase64String(payload.Span);
                await socket.SendAsync(Encoding.ASCII.GetBytes(text), WebSocketMessageType.Text, true, linked.Token).ConfigureAwait(false);
                return;
            }

            var frame = ArrayPool<byte>.Shared.Rent(payload.Length + 1);
            try
            {
                frame[0] = channel;
                payload.Span.CopyTo(frame.AsSpan(1));
                await socket.SendAsync(frame.AsMemory(0, payload.Length + 1), WebSocketMessageType.Binary, true, linked.Token).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(frame);
            }
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>Starts the closing handshake once every frame has gone out.</summary>
    public async Task CloseOutputAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, cancellationToken);
        await sendLock.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, linked.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            sendLock.Release();
        }
    }
}
