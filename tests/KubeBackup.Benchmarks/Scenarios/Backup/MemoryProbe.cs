using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Restore;
using KubeBackup.Core.Storage;

namespace KubeBackup.Benchmarks.Scenarios.Backup;

/// <summary>
/// The memory of one backup or one restore, measured in a child process (the harness run again with
/// <see cref="Argument"/> or <see cref="RestoreArgument"/>) that does nothing else: one Core backup of the cluster into
/// a fresh unencrypted FileSystem repository, or one Core restore of a backup of such a repository into the cluster.
/// Neither the harness's state nor the emulator (its own process) is counted. The child reports the OS's peak working
/// set (VmHWM on Linux), the largest managed heap seen by a 20 ms sampler, and the bytes it allocated in all.
/// </summary>
public static class MemoryProbe
{
    /// <summary>Child arguments: KUBECONFIG REPOSITORY (a backup into a new repository there).</summary>
    public const string Argument = "--memory-probe";

    /// <summary>Child arguments: KUBECONFIG REPOSITORY BACKUP (a restore of that backup of that repository).</summary>
    public const string RestoreArgument = "--memory-probe-restore";

    /// <summary>The name the backup probe gives its backup, and the restore probe its restore.</summary>
    public const string OperationName = "memory";

    /// <summary>
    /// Seconds: the operation's duration, opening the repository and the client included (milliseconds).
    /// PeakManagedAt: when the sampler saw the largest managed heap, as a share of that duration (1 = its end).
    /// </summary>
    public sealed record Result(double Seconds, long Items, long PeakWorkingSetBytes, long PeakManagedBytes, double PeakManagedAt, long AllocatedBytes, int Gen2Collections);

    /// <summary>The child's side of a backup probe: back up, then print the result as one JSON line.</summary>
    public static Task<int> RunBackupChildAsync(string kubeconfigPath, string repositoryDirectory) => MeasureAsync(async () =>
    {
        await using var store = new FileSystemObjectStore(repositoryDirectory);
        using var repository = await BackupRepository.InitializeAsync(store, new RepositoryInitOptions());
        using var client = ClusterClient.Open(kubeconfigPath);
        using var runner = new BackupRunner(client);
        var summary = await runner.RunAsync(repository, new BackupSpec(), new BackupRunOptions { Name = OperationName }, CancellationToken.None);
        return (summary.ItemsBackedUp, summary.Phase == BackupPhase.Completed ? null : $"The backup ended {summary.Phase}: {summary.FailureReason}");
    });

    /// <summary>The child's side of a restore probe: restore (default spec), then print the result as one JSON line.</summary>
    public static Task<int> RunRestoreChildAsync(string kubeconfigPath, string repositoryDirectory, string backupName) => MeasureAsync(async () =>
    {
        await using var store = new FileSystemObjectStore(repositoryDirectory);
        using var repository = await BackupRepository.OpenAsync(store, null);
        using var client = ClusterClient.Open(kubeconfigPath);
        using var runner = new RestoreRunner(client);
        var summary = await runner.RunAsync(repository, new RestoreSpec { BackupName = backupName }, new RestoreRunOptions { Name = OperationName }, CancellationToken.None);
        return (summary.ItemsTotal, summary.Phase == RestorePhase.Completed ? null : $"The restore ended {summary.Phase}: {summary.FailureReason}");
    });

    /// <summary>
    /// The child's measurement, whatever it runs: samples the managed heap every 20 ms while <paramref name="operation"/>
    /// runs, then prints a <see cref="Result"/> as one JSON line (exit code 0), or its failure on stderr (exit code 1).
    /// </summary>
    public static async Task<int> MeasureAsync(Func<Task<(long Items, string? Failure)>> operation)
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
        watch.Start();
        var (items, failure) = await operation();
        var seconds = watch.Elapsed.TotalSeconds;
        if (failure is not null)
        {
            Console.Error.WriteLine(failure);
            return 1;
        }
        using var self = Process.GetCurrentProcess();
        await sampler.DisposeAsync();
        lock (gate)
        {
            Console.WriteLine(JsonSerializer.Serialize(new Result(seconds, items, self.PeakWorkingSet64,
                peakManaged, peakAt.TotalSeconds / seconds, GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(2))));
        }
        return 0;
    }

    /// <summary>The parent's side of a backup probe: backs the cluster up into a new repository at <paramref name="repositoryDirectory"/>.</summary>
    public static Task<Result> BackupAsync(string kubeconfigPath, string repositoryDirectory) =>
        RunChildAsync([Argument, kubeconfigPath, repositoryDirectory]);

    /// <summary>The parent's side of a restore probe: restores <paramref name="backupName"/> of the repository into the cluster.</summary>
    public static Task<Result> RestoreAsync(string kubeconfigPath, string repositoryDirectory, string backupName) =>
        RunChildAsync([RestoreArgument, kubeconfigPath, repositoryDirectory, backupName]);

    /// <summary>Runs the child with these arguments and reads its line.</summary>
    private static async Task<Result> RunChildAsync(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"The memory probe ({arguments[0]}) did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (process.ExitCode != 0 || line is null || !line.StartsWith('{'))
        {
            throw new InvalidOperationException($"The memory probe ({arguments[0]}) failed ({process.ExitCode}): {stdout}{await stderr}");
        }
        return JsonSerializer.Deserialize<Result>(line) ?? throw new InvalidOperationException($"The memory probe ({arguments[0]}) printed nothing.");
    }
}
