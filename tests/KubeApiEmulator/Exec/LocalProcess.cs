using System.Diagnostics;

namespace KubeApiEmulator.Exec;

/// <summary>A local process standing in for the command of an exec, its standard streams joined to the session's.</summary>
internal sealed class LocalProcess(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment)
{
    public async Task<int> RunAsync(ExecRequest request, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var process = System.Diagnostics.Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start '{fileName}'.");
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var registration = kill.Token.Register(() => KillTree(process));

        // Not awaited: a process may exit without reading all its input, and the client may never close stdin.
        _ = FeedStdinAsync(request.Stdin, process.StandardInput.BaseStream, kill.Token);

        // If the client stops taking output, the process would block on a full pipe forever: kill it instead.
        var stdout = PumpAsync(process.StandardOutput.BaseStream, request.Stdout, kill);
        var stderr = PumpAsync(process.StandardError.BaseStream, request.Stderr, kill);
        await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return process.ExitCode;
    }

    private static async Task FeedStdinAsync(Stream? source, Stream processStdin, CancellationToken cancellationToken)
    {
        try
        {
            if (source is not null)
            {
                await source.CopyToAsync(processStdin, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The process closed its stdin or exited, or the session ended: the rest of stdin has nowhere to go.
        }
        finally
        {
            try
            {
                await processStdin.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Closing a pipe the process already closed.
            }
        }
    }

    private static async Task PumpAsync(Stream source, Stream destination, CancellationTokenSource kill)
    {
        try
        {
            await source.CopyToAsync(destination, kill.Token).ConfigureAwait(false);
        }
        catch (Exception) when (!kill.IsCancellationRequested)
        {
            await kill.CancelAsync().ConfigureAwait(false);
            throw;
        }
        catch (OperationCanceledException)
        {
            // Killed: what the process still had to say is dropped.
        }
    }

    private static void KillTree(System.Diagnostics.Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
