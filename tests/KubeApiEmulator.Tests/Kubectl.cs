using System.Diagnostics;
using System.Text.Json.Nodes;

namespace KubeApiEmulator.Tests;

/// <summary>Runs the real kubectl against an emulator with its own kubeconfig and discovery cache.</summary>
public sealed class Kubectl : IDisposable
{
    private readonly string _dir;
    private readonly string _kubeconfig;
    private readonly string _executable;

    public Kubectl(EmulatorServer server)
    {
        _executable = Locate();
        _dir = Directory.CreateTempSubdirectory("kubectl-").FullName;
        _kubeconfig = Path.Combine(_dir, "kubeconfig");
        File.WriteAllText(_kubeconfig, server.KubeconfigYaml);
    }

    /// <summary>kubectl on PATH; the suite fails (never skips) without it.</summary>
    public static string Locate()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, "kubectl");
            if (File.Exists(candidate))
                return candidate;
        }
        Assert.Fail("kubectl was not found on PATH. The kubectl cross-check suite needs the real kubectl: install Debian's "
            + "'kubernetes-client' package (apt-get install kubernetes-client) or put any kubectl 1.2x binary on PATH.");
        return "";
    }

    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(_kubeconfig);
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(Path.Combine(_dir, "cache"));
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    public async Task<string> OkAsync(params string[] args)
    {
        var (code, stdout, stderr) = await RunAsync(args);
        Assert.True(code == 0, $"kubectl {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }

    public async Task<JsonNode> JsonAsync(params string[] args) => JsonNode.Parse(await OkAsync([.. args, "-o", "json"]))!;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
