using System.Diagnostics;
using KubeBackup.Core.Cluster.Discovery;

namespace KubeBackup.Benchmarks.Scenarios.Backup;

/// <summary>
/// The plain alternative a user would script: <c>kubectl get TYPE -A -o json &gt; DIR/TYPE.json</c> for every type the
/// backup lists (cluster-scoped ones without -A), one after the other.
/// </summary>
public static class KubectlExport
{
    public sealed record Result(TimeSpan Elapsed, long Bytes, int Types);

    /// <summary>The kubectl on PATH, or null.</summary>
    public static string? Find()
    {
        var names = OperatingSystem.IsWindows() ? new[] { "kubectl.exe" } : ["kubectl"];
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(d => names.Select(n => Path.Combine(d, n))).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// The kubectl on PATH with its version in the notes; when absent, null and a line in the skipped list, or a failure
    /// when the environment variable CI is set (CI installs it).
    /// </summary>
    public static async Task<string?> LocateAsync(List<string> notes, List<string> skipped, Action<string> log)
    {
        if (Find() is not { } kubectl)
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                throw new InvalidOperationException("kubectl is required in CI and is not on PATH.");
            }
            skipped.Add("kubectl: not on PATH, so the kubectl row and the kubectl/KubeBackup budget are missing.");
            log("skipped kubectl: not on PATH");
            return null;
        }
        notes.Add($"kubectl: {await VersionAsync(kubectl)} ({kubectl}).");
        return kubectl;
    }

    public static async Task<string> VersionAsync(string kubectl)
    {
        var (code, output, _) = await RunAsync(kubectl, ["version", "--client"], Stream.Null);
        return code == 0 ? output.Split('\n')[0].Trim() : "unknown version";
    }

    public static async Task<Result> RunAsync(string kubectl, string kubeconfigPath, IReadOnlyList<ApiResource> types, string directory)
    {
        Directory.CreateDirectory(directory);
        long bytes = 0;
        var watch = Stopwatch.StartNew();
        foreach (var type in types)
        {
            var path = Path.Combine(directory, type.FullName + ".json");
            var arguments = new List<string> { "get", type.FullName, "-o", "json", "--kubeconfig", kubeconfigPath, "--request-timeout", "120s" };
            if (type.Namespaced)
            {
                arguments.Add("-A");
            }
            await using (var file = File.Create(path))
            {
                var (code, _, stderr) = await RunAsync(kubectl, arguments, file);
                if (code != 0)
                {
                    throw new InvalidOperationException($"kubectl {string.Join(' ', arguments)} failed ({code}): {stderr.Trim()}");
                }
            }
            bytes += new FileInfo(path).Length;
        }
        return new Result(watch.Elapsed, bytes, types.Count);
    }

    /// <summary>
    /// Runs kubectl with stdout copied into <paramref name="stdout"/> as a shell redirect would (with Stream.Null, returned
    /// as FirstOutput instead).
    /// </summary>
    public static async Task<(int Code, string FirstOutput, string Stderr)> RunAsync(string kubectl, IEnumerable<string> arguments, Stream stdout)
    {
        var start = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        string first = "";
        if (stdout == Stream.Null)
        {
            first = await process.StandardOutput.ReadToEndAsync();
        }
        else
        {
            await process.StandardOutput.BaseStream.CopyToAsync(stdout);
        }
        await process.WaitForExitAsync();
        return (process.ExitCode, first, await stderr);
    }
}
