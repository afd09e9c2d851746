using System.Diagnostics;
using System.Text.RegularExpressions;

namespace KubeBackup.Benchmarks;

/// <summary>
/// The standalone emulator with a synthetic cluster, as its own process: its CPU and memory are not the harness's, and
/// it exits when the harness closes its stdin (--exit-on-stdin-close), so a crashed harness leaves nothing running.
/// </summary>
public sealed partial class EmulatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private EmulatorProcess(Process process, string directory, string url, string kubeconfigPath, TimeSpan startup)
    {
        _process = process;
        _directory = directory;
        Url = url;
        KubeconfigPath = kubeconfigPath;
        Startup = startup;
    }

    public string Url { get; }

    public string KubeconfigPath { get; }

    /// <summary>From process start to listening, the synthetic objects generated.</summary>
    public TimeSpan Startup { get; }

    [GeneratedRegex(@"^KubeApiEmulator listening on (?<url>http://\S+)")]
    private static partial Regex ListeningLine();

    public static async Task<EmulatorProcess> StartAsync(string assembly, int syntheticObjects, params string[] extraArguments)
    {
        var directory = Directory.CreateTempSubdirectory("kb-bench-emulator-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        var process = Start(assembly, [.. new[] { "--port", "0", "--kubeconfig", kubeconfig, "--synthetic", syntheticObjects.ToString(System.Globalization.CultureInfo.InvariantCulture), "--exit-on-stdin-close" }, .. extraArguments]);
        var watch = Stopwatch.StartNew();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (ListeningLine().Match(line) is { Success: true } match)
                {
                    // Keep draining stdout so the child never blocks on a full pipe.
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                    return new EmulatorProcess(process, directory, match.Groups["url"].Value, kubeconfig, watch.Elapsed);
                }
            }
            throw new InvalidOperationException($"The emulator exited before listening: {await stderr}");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>
    /// Waits until the emulator has used under 5 % of a core for a whole second: after --synthetic its simulated
    /// controllers provision volumes and set workload status for a while, and a backup measured meanwhile competes with
    /// them (the first runs of an earlier version saw fewer objects, slower). Returns how long it waited.
    /// </summary>
    public async Task<TimeSpan> WaitUntilIdleAsync(TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        var window = TimeSpan.FromSeconds(1);
        _process.Refresh();
        var before = _process.TotalProcessorTime;
        while (watch.Elapsed < limit)
        {
            await Task.Delay(window);
            _process.Refresh();
            var now = _process.TotalProcessorTime;
            if ((now - before) < window * 0.05)
            {
                return watch.Elapsed;
            }
            before = now;
        }
        throw new InvalidOperationException($"The emulator was still busy {limit.TotalSeconds:F0} s after it started listening.");
    }

    /// <summary>The emulator's own speed figures (--selftest-speed), one line each, so its limits are on record.</summary>
    public static async Task<IReadOnlyList<string>> SelfTestAsync(string assembly)
    {
        using var process = Start(assembly, "--selftest-speed");
        process.StandardInput.Close();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The emulator's --selftest-speed failed ({process.ExitCode}): {stderr}");
        }
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static Process Start(string assembly, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("The emulator did not start.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
