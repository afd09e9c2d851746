namespace KubeApiEmulator.Exec;

/// <summary>
/// The WebSocket subprotocols of the Kubernetes remote command stream, as the kubelet serves them. They differ in
/// how frames are encoded, how the final status is written, and whether the client may close a single stream.
/// </summary>
/// <param name="Translated">The API server itself serves v5, translating to SPDY towards the kubelet, and rewraps the
/// kubelet's final status on the way.</param>
internal sealed record ChannelProtocol(string? Name, bool Base64, bool JsonStatus, bool StreamClose, bool Translated = false)
{
    /// <summary>The channel a v5 client sends, followed by a stream number, to close that stream.</summary>
    public const byte StreamCloseChannel = 255;

    // Without a subprotocol the kubelet speaks plain channel.k8s.io.
    private static readonly ChannelProtocol Unnamed = new(null, Base64: false, JsonStatus: false, StreamClose: false);

    private static readonly ChannelProtocol[] Supported =
    [
        new("v5.channel.k8s.io", Base64: false, JsonStatus: true, StreamClose: true, Translated: true),
        new("v4.channel.k8s.io", Base64: false, JsonStatus: true, StreamClose: false),
        new("v4.base64.channel.k8s.io", Base64: true, JsonStatus: true, StreamClose: false),
        new("channel.k8s.io", Base64: false, JsonStatus: false, StreamClose: false),
        new("base64.channel.k8s.io", Base64: true, JsonStatus: false, StreamClose: false),
    ];

    public static IEnumerable<string> SupportedNames => Supported.Select(protocol => protocol.Name!);

    /// <summary>Takes the first protocol the client offers that is supported, as the kubelet's handshake does.</summary>
    public static ChannelProtocol? Negotiate(IList<string> requested)
    {
        if (requested.Count == 0)
        {
            return Unnamed;
        }

        return requested
            .Select(name => Supported.FirstOrDefault(protocol => string.Equals(protocol.Name, name.Trim(), StringComparison.Ordinal)))
            .FirstOrDefault(protocol => protocol is not null);
    }
}
