using System.Runtime.CompilerServices;
using KubeApiEmulator.Faults;
using KubeBackup.Core.Backup;
using RetryPolicy = KubeBackup.Core.Cluster.Listing.RetryPolicy;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Tests.Cluster.Listing;

namespace KubeBackup.Core.Tests.Backup;

/// <summary>API server errors, storage failures and cancellation: retried, recorded, never half-visible.</summary>
public sealed class BackupFaultTests : BackupTestKit
{
    private static readonly RetryPolicy QuickRetry = new() { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20), MaxRetryAfter = TimeSpan.FromMilliseconds(20) };

    private static BackupRunOptions Quick(string name) => Named(name) with { ListRetry = QuickRetry };

    [Fact]
    public async Task ThrottlingAndServerErrorsAreRetriedAndTheBackupCompletes()
    {
        var throttle = Emulator.Faults.Add(FaultRule.Throttle("list", "configmaps", maxCount: 2));
        var error = Emulator.Faults.Add(FaultRule.ServerError("list", "secrets", maxCount: 2));

        var summary = await Runner().RunAsync(Repo, new BackupSpec(), Quick("retried"), default);

        Assert.Equal(BackupPhase.Completed, summary.Phase);
        Assert.Equal(2, Emulator.Faults.InjectedCount(throttle));
        Assert.Equal(2, Emulator.Faults.InjectedCount(error));
        Assert.Contains("configmaps production/web-config", await ItemsAsync("retried"));
        Assert.Contains("secrets production/db-password", await ItemsAsync("retried"));
    }

    [Fact]
    public async Task AResourceThatKeepsFailingMakesTheBackupPartiallyFailedNamingIt()
    {
        Emulator.Faults.Add(FaultRule.ServerError("list", "configmaps"));

        var summary = await Runner().RunAsync(Repo, new BackupSpec(), Quick("partial"), default);

        Assert.Equal(BackupPhase.PartiallyFailed, summary.Phase);
        var error = Assert.Single(summary.Problems, p => p.Severity == BackupProblemSeverity.Error);
        Assert.Equal("configmaps", error.Target);
        Assert.Contains("gave up after 3 retries", error.Message, StringComparison.Ordinal);
        Assert.Contains("configmaps", summary.FailureReason, StringComparison.Ordinal);
        var items = await ItemsAsync("partial");
        Assert.DoesNotContain(items, i => i.StartsWith("configmaps ", StringComparison.Ordinal));
        Assert.Contains("secrets production/db-password", items);
        var log = BackupLogEntry.ParseLog(await Repo.ReadBackupLogAsync("partial"));
        Assert.Contains(log, e => e.Level == BackupLogLevel.Error && e.Target == "configmaps");
    }

    [Fact]
    public async Task AStorageFailureIsRecordedAsFailedWithNothingHalfVisibleAndTheNextBackupWorks()
    {
        var store = new PackFailingStore(Store);
        using var repository = await OpenAsync(store: store);
        store.FailPacks = true;

        var failed = await Runner().RunAsync(repository, new BackupSpec(), Named("broken"), default);

        Assert.Equal(BackupPhase.Failed, failed.Phase);
        Assert.Contains("disk on fire", failed.FailureReason, StringComparison.Ordinal);
        var recorded = BackupRecordJson.FromInfo(await repository.GetBackupAsync("broken"), "test");
        Assert.Equal(BackupPhase.Failed, recorded.Phase);
        Assert.Equal(0, recorded.ItemsBackedUp);
        Assert.Empty(await (await repository.OpenBackupAsync("broken")).GetManifestAsync());
        Assert.Empty(Files("locks"));

        store.FailPacks = false;
        var next = await Runner().RunAsync(repository, new BackupSpec(), Named("next"), default);
        Assert.Equal(BackupPhase.Completed, next.Phase);
        Assert.Null(next.Parent);
        Assert.True((await repository.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task CancellingRecordsTheBackupAsFailedAndLeavesNoLock()
    {
        // Ctrl+C while the secrets are being listed: the backup has started and items are on their way.
        using var cancel = new CancellationTokenSource();
        Emulator.Faults.Add(FaultRule.Delay(TimeSpan.FromSeconds(5), "list", "secrets"));
        ListingTestCluster.Observe(Emulator, (_, verb, resource) =>
        {
            if (verb == "list" && resource == "secrets")
            {
                cancel.CancelAfter(100);
            }
            return Task.FromResult(false);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner().RunAsync(Repo, new BackupSpec(), Named("stopped"), cancel.Token));

        var recorded = BackupRecordJson.FromInfo(await Repo.GetBackupAsync("stopped"), "test");
        Assert.Equal(BackupPhase.Failed, recorded.Phase);
        Assert.StartsWith("Cancelled", recorded.FailureReason, StringComparison.Ordinal);
        Assert.Empty(Files("locks"));
        Assert.Empty(Files("packs"));
        Assert.Empty(await (await Repo.OpenBackupAsync("stopped")).GetManifestAsync());
    }

    /// <summary>A store whose pack uploads fail while <see cref="FailPacks"/> is set: a full disk, a revoked write permission.</summary>
    private sealed class PackFailingStore(IObjectStore inner) : IObjectStore
    {
        public volatile bool FailPacks;

        public string Description => inner.Description;

        public Task PutAsync(string key, Stream content, CancellationToken cancellationToken) =>
            FailPacks && key.StartsWith(RepositoryLayout.PacksPrefix, StringComparison.Ordinal)
                ? throw new IOException("disk on fire")
                : inner.PutAsync(key, content, cancellationToken);

        public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) => inner.OpenReadAsync(key, cancellationToken);

        public Task<byte[]> ReadRangeAsync(string key, long offset, int length, CancellationToken cancellationToken) => inner.ReadRangeAsync(key, offset, length, cancellationToken);

        public Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken) => inner.StatAsync(key, cancellationToken);

        public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var info in inner.ListAsync(prefix, cancellationToken))
            {
                yield return info;
            }
        }

        public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) => inner.DeleteAsync(keys, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
