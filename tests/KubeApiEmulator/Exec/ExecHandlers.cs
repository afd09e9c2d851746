using System.Text;

namespace KubeApiEmulator.Exec;

/// <summary>Ready-made exec handlers.</summary>
public static class ExecHandlers
{
    /// <summary>Writes fixed stdout and stderr and exits with the given code, ignoring stdin.</summary>
    public static ExecHandler Scripted(string stdout, string stderr = "", int exitCode = 0)
    {
        var stdoutBytes = Encoding.UTF8.GetBytes(stdout);
        var stderrBytes = Encoding.UTF8.GetBytes(stderr);
        return async (request, cancellationToken) =>
        {
            if (stdoutBytes.Length > 0)
            {
                await request.Stdout.WriteAsync(stdoutBytes, cancellationToken).ConfigureAwait(false);
            }

            if (stderrBytes.Length > 0)
            {
                await request.Stderr.WriteAsync(stderrBytes, cancellationToken).ConfigureAwait(false);
            }

            return exitCode;
        };
    }

    /// <summary>Copies stdin to stdout until the client closes stdin, like <c>cat</c>.</summary>
    public static ExecHandler Echo { get; } = async (request, cancellationToken) =>
    {
        if (request.Stdin is not null)
        {
            await request.Stdin.CopyToAsync(request.Stdout, cancellationToken).ConfigureAwait(false);
        }

        return 0;
    };

    /// <summary>
    /// Runs a real local process in place of the command: <paramref name="fileName"/> replaces argv[0] and the
    /// arguments are argv[1..] unless <paramref name="arguments"/> maps the request to others. Stdin, stdout and stderr
    /// stream through; the exit code is the process's. Cancellation kills the whole process tree.
    /// </summary>
    public static ExecHandler Process(string fileName, Func<ExecRequest, IEnumerable<string>>? arguments = null,
        IDictionary<string, string>? environment = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        return (request, cancellationToken) => new LocalProcess(fileName, arguments?.Invoke(request) ?? request.Command.Skip(1), environment)
            .RunAsync(request, cancellationToken);
    }
}
