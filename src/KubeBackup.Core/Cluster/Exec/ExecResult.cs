namespace KubeBackup.Core.Cluster.Exec;

/// <summary>
/// A command that ran to its end in a container: its exit code and the end of its output. Output is kept only up to
/// <see cref="PodExec.CapturedBytes"/> per stream (the last bytes), so a chatty command cannot fill memory.
/// </summary>
public sealed record ExecResult(int ExitCode, string Stdout, string Stderr, bool OutputTruncated, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last non-blank lines of stderr, trimmed, for a failure message.</summary>
    public IReadOnlyList<string> LastStderrLines(int count) =>
        [.. Stderr.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).TakeLast(count)];
}
