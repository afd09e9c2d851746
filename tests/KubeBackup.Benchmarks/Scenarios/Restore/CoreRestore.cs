using System.Diagnostics;
using KubeBackup.Benchmarks.Scenarios.Backup;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Restore;
using KubeBackup.Core.Storage;

namespace KubeBackup.Benchmarks.Scenarios.Restore;

/// <summary>
/// A restore through the Core API (<see cref="RestoreRunner"/>, the engine of Restore-KbBackup) of one backup of a local
/// unencrypted FileSystem repository, with the default spec and the given policy for existing objects. Opening the
/// repository and the client is not timed; anything but Completed is a failure.
/// </summary>
public static class CoreRestore
{
    public sealed record Result(TimeSpan Elapsed, long Items, long Created, long Updated, long Skipped);

    public static async Task<Result> RunAsync(string repositoryDirectory, string backupName, string kubeconfigPath, string restoreName, ExistingResourcePolicy policy)
    {
        await using var store = new FileSystemObjectStore(repositoryDirectory);
        using var repository = await BackupRepository.OpenAsync(store, null);
        using var client = ClusterClient.Open(kubeconfigPath);
        using var runner = new RestoreRunner(client);
        var watch = Stopwatch.StartNew();
        var summary = await runner.RunAsync(repository, new RestoreSpec { BackupName = backupName, ExistingResourcePolicy = policy },
            new RestoreRunOptions { Name = restoreName }, CancellationToken.None);
        var elapsed = watch.Elapsed;
        if (summary.Phase != RestorePhase.Completed)
        {
            throw new InvalidOperationException($"Restore '{restoreName}' ended {summary.Phase}: {summary.FailureReason}");
        }
        return new Result(elapsed, summary.ItemsTotal, summary.Created, summary.Updated, summary.Skipped);
    }
}
