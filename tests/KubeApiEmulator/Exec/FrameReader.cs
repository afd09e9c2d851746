using System.Net.WebSockets;
using System.Text;

namespace KubeApiEmulator.Exec;

/// <summary>
/// Splits received WebSocket messages into channel payloads. A binary message starts with its channel byte and may
/// arrive in fragments; a base64 message is text, its channel an ASCII digit, and is decoded once complete.
/// </summary>
internal sealed class FrameReader(ChannelProtocol protocol)
{
    /// <summary>Pseudo channel for a v5 client's close-stdin message, <c>[255, 0]</c>.</summary>
    public const int CloseStdin = -1;

    private readonly MemoryStream text = new();
    private bool inMessage;
    private int channel;
    private int? closeTarget;

    public IEnumerable<(int Channel, ReadOnlyMemory<byte> Payload)> Read(ReadOnlyMemory<byte> data, WebSocketMessageType type, bool endOfMessage)
    {
        if (type == WebSocketMessageType.Text)
        {
            text.Write(data.Span);
            if (!endOfMessage)
            {
                yield break;
            }

            var decoded = DecodeText();
            if (decoded is { } frame)
            {
                yield return frame;
            }

            yield break;
        }

        if (!inMessage)
        {
            if (data.IsEmpty)
            {
                yield break;
            }

            channel = data.Span[0];
            data = data[1..];
            inMessage = true;
            closeTarget = null;
        }

        if (endOfMessage)
        {
            inMessage = false;
        }

        if (channel == ChannelProtocol.StreamCloseChannel && protocol.StreamClose)
        {
            if (closeTarget is null && !data.IsEmpty)
            {
                closeTarget = data.Span[0];
            }

            if (endOfMessage && closeTarget == 0)
            {
                yield return (CloseStdin, ReadOnlyMemory<byte>.Empty);
            }

            yield break;
        }

        if (!data.IsEmpty)
        {
            yield return (channel, data);
        }
    }

    private (int Channel, ReadOnlyMemory<byte> Payload)? DecodeText()
    {
        var message = Encoding.ASCII.GetString(text.GetBuffer(), 0, (int)text.Length);
        text.SetLength(0);
        if (message.Length == 0)
        {
            return null;
        }

        try
        {
            return (message[0] - '0', Convert.FromBase64String(message[1..]));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
