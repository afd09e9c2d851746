using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Storage;

namespace KubeBackup.Benchmarks.Scenarios.Backup;

/// <summary>
/// The memory of one backup, measured in a child process (the harness run again with <see cref="Argument"/>) that does
/// nothing else: one Core backup of the cluster into a fresh unencrypted FileSystem repository. Neither the harness's
/// state nor the emulator (its own process) is counted. The child reports the OS's peak working set (VmHWM on Linux),
/// the largest managed heap seen by a 20 ms sampler, and the bytes it allocated in all.
/// </summary>
public static class MemoryProbe
{
    public const string Argument = "--memory-probe";

    /// <summary>PeakManagedAt: when the sampler saw the largest managed heap, as a share of the backup's duration (1 = its end).</summary>
    public sealed record Result(double Seconds, long Items, long PeakWorkingSetBytes, long PeakManagedBytes, double PeakManagedAt, long AllocatedBytes, int Gen2Collections);

    /// <summary>The child's side: back up, then print the result as one JSON line.</summary>
    public static async Task<int> RunChildAsync(string kubeconfigPath, string repositoryDirectory)
    {
        long peakManaged = 0;
        var peakAt = TimeSpan.Zero;
        var watch = new Stopwatch();
        var gate = new object();
        using var sampler = new Timer(_ =>
        {
            var managed = GC.GetTotalMemory(forceFullCollection: false);
            lock (gate)
            {
                if (managed > peakManaged)
                {
                    (peakManaged, peakAt) = (managed, watch.Elapsed);
                }
            }
        }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));
        await using var store = new FileSystemObjectStore(repositoryDirectory);
        using var repository = await BackupRepository.InitializeAsync(store, new RepositoryInitOptions());
        using var client = ClusterClient.Open(kubeconfigPath);
        using var runner = new BackupRunner(client);
        watch.Start();
        var summary = await runner.RunAsync(repository, new BackupSpec(), new BackupRunOptions { Name = "memory" }, CancellationToken.None);
        var seconds = watch.Elapsed.TotalSeconds;
        if (summary.Phase != BackupPhase.Completed)
        {
            Console.Error.WriteLine($"The backup ended {summary.Phase}: {summary.FailureReason}");
            return 1;
        }
        using var self = Process.GetCurrentProcess();
        await sampler.DisposeAsync();
        lock (gate)
        {
            Console.WriteLine(JsonSerializer.Serialize(new Result(seconds, summary.ItemsBackedUp, self.PeakWorkingSet64,
                peakManaged, peakAt.TotalSeconds / seconds, GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(2))));
        }
        return 0;
    }

    /// <summary>The parent's side: runs the child against the emulator's kubeconfig and reads its line.</summary>
    public static async Task<Result> MeasureAsync(string kubeconfigPath, string repositoryDirectory)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }
        foreach (var argument in new[] { Argument, kubeconfigPath, repositoryDirectory })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The memory probe did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (process.ExitCode != 0 || line is null || !line.StartsWith('{'))
        {
            throw new InvalidOperationException($"The memory probe failed ({process.ExitCode}): {stdout}{await stderr}");
        }
        return JsonSerializer.Deserialize<Result>(line) ?? throw new InvalidOperationException("The memory probe printed nothing.");
    }
}
