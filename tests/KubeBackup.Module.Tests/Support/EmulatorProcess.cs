using System.Diagnostics;
using System.Text.RegularExpressions;

namespace KubeBackup.Module.Tests.Support;

/// <summary>
/// The standalone Kubernetes API emulator as a child process, as a user or the demo runs it. Out of
/// process on purpose: this test process must not load the emulator's YamlDotNet into its default context.
/// </summary>
public sealed partial class EmulatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private readonly Task<string> _stderr;

    private EmulatorProcess(Process process, Task<string> stderr, string directory, Uri url, string kubeconfigPath)
    {
        _process = process;
        _stderr = stderr;
        _directory = directory;
        Url = url;
        KubeconfigPath = kubeconfigPath;
    }

    public Uri Url { get; }

    public string KubeconfigPath { get; }

    public string KubeconfigText => File.ReadAllText(KubeconfigPath);

    [GeneratedRegex(@"^KubeApiEmulator listening on (?<url>http://\S+)")]
    private static partial Regex ListeningLine();

    public static async Task<EmulatorProcess> StartAsync(string contextName = "emulator", params string[] extraArguments)
    {
        if (!File.Exists(Repo.EmulatorAssembly))
        {
            throw new InvalidOperationException($"The emulator is not built at {Repo.EmulatorAssembly}: run 'dotnet build' first.");
        }
        var directory = Directory.CreateTempSubdirectory("kb-emulator-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Repo.EmulatorAssembly, "--port", "0", "--kubeconfig", kubeconfig, "--context", contextName, "--exit-on-stdin-close" }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("The emulator did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    throw new InvalidOperationException($"The emulator exited before listening: {await stderr}");
                }
                var match = ListeningLine().Match(line);
                if (match.Success)
                {
                    // Keep draining stdout so the child never blocks on a full pipe.
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                    return new EmulatorProcess(process, stderr, directory, new Uri(match.Groups["url"].Value), kubeconfig);
                }
            }
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>Stops the emulator and returns what it wrote to stderr (with --log-requests: one line per request).</summary>
    public async Task<string> StopAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(timeout.Token);
        return await _stderr;
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
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
