namespace KubeApiEmulator.Exec;

/// <summary>One exec call as the handler sees it: what to run and the streams of the WebSocket session.</summary>
public sealed class ExecRequest
{
    public ExecRequest(string @namespace, string pod, string? container, IReadOnlyList<string> command, bool tty,
        Stream? stdin, Stream stdout, Stream stderr)
    {
        Namespace = @namespace;
        Pod = pod;
        Container = container;
        Command = command;
        Tty = tty;
        Stdin = stdin;
        Stdout = stdout;
        Stderr = stderr;
    }

    public string Namespace { get; }

    public string Pod { get; }

    /// <summary>The container asked for, or null when the client left the choice to the server.</summary>
    public string? Container { get; }

    public IReadOnlyList<string> Command { get; }

    public bool Tty { get; }

    /// <summary>Null unless the client asked for stdin; ends when the client closes stdin or the socket.</summary>
    public Stream? Stdin { get; }

    /// <summary>Each write becomes stdout frames, sent before the write completes (no unbounded queue).</summary>
    public Stream Stdout { get; }

    /// <summary>Each write becomes stderr frames; with a TTY they go to stdout, as a terminal merges them.</summary>
    public Stream Stderr { get; }
}
