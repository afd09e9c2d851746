using System.Net.WebSockets;

namespace KubeApiEmulator.Exec;

/// <summary>A write-only stream whose writes become frames on one channel (stdout or stderr).</summary>
internal sealed class ChannelWriteStream(ChannelSocket socket, byte channel) : Stream
{
    // Big writes are split so no single message holds a whole dump in memory twice.
    private const int MaxFramePayload = 32 * 1024;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            while (!buffer.IsEmpty)
            {
                var chunk = buffer[..Math.Min(buffer.Length, MaxFramePayload)];
                await socket.SendAsync(channel, chunk, cancellationToken).ConfigureAwait(false);
                buffer = buffer[chunk.Length..];
            }
        }
        catch (WebSocketException exception)
        {
            // To the process this is a closed pipe: the client has gone.
            throw new IOException("The exec client closed the connection.", exception);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
