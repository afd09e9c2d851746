using System.Runtime.CompilerServices;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Restore;
using KubeBackup.Core.Schedules;
using KubeBackup.Core.Specs;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Tests.Backup;
using KubeBackup.Core.Tests.Cluster.Discovery;
using KubeBackup.Core.Tests.Specs;
using static KubeBackup.Core.Tests.Schedules.ScheduleCronTests;

namespace KubeBackup.Core.Tests.Schedules;

/// <summary>Invoke-KbSchedule's engine against the emulator's shop and a file-system repository, with an injected clock.</summary>
public sealed class ScheduleRunnerTests : BackupTestKit
{
    private DateTimeOffset _now = Utc(2026, 12, 1, 2, 0, 10);

    private ScheduleRunner Scheduler() => new(ClusterTestKit.Connect(Emulator), Sink);

    private ScheduleRunOptions RunOptions => new()
    {
        Clock = () => _now,
        Backup = new BackupRunOptions { StorageLocation = "test", MaxConcurrentItems = 2 },
        ContentionPause = TimeSpan.FromMilliseconds(200),
    };

    private static BackupSchedule Hourly(string name = "hourly", TimeSpan? ttl = null) => new()
    {
        Name = name,
        Cron = "0 * * * *",
        Template = new BackupSpec { IncludedNamespaces = ["production"], Ttl = ttl ?? TimeSpan.FromDays(7), Labels = new Dictionary<string, string> { ["team"] = "shop" } },
        Created = Utc(2026, 11, 30),
    };

    private async Task<ScheduleRunResult> InvokeOneAsync(BackupSchedule schedule, BackupRepository? repository = null)
    {
        using var scheduler = Scheduler();
        return Assert.Single(await scheduler.InvokeAsync(repository ?? Repo, [schedule], RunOptions, default));
    }

    private async Task<List<string>> BackupNamesAsync() => (await Repo.ListBackupsAsync()).Select(b => b.Name).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task ADueScheduleRunsOnceNamedAndLabelledForItsSlotThenAgainAfterTheNextSlot()
    {
        var ran = await InvokeOneAsync(Hourly());

        Assert.Equal(ScheduleAction.Ran, ran.Action);
        Assert.Equal("hourly-20261201020000", ran.BackupName);
        Assert.Equal(Utc(2026, 12, 1, 2), ran.Slot);
        Assert.Equal(BackupPhase.Completed, ran.Backup!.Phase);
        Assert.Empty(ran.Expired);
        var stored = BackupRecordJson.FromInfo(await Repo.GetBackupAsync("hourly-20261201020000"), "test");
        Assert.Equal("hourly", stored.Labels[RestoreRunner.ScheduleLabel]);
        Assert.Equal("shop", stored.Labels["team"]);
        Assert.Equal(_now, stored.Started);
        Assert.Equal(_now + TimeSpan.FromDays(7), stored.Expires);
        Assert.Contains("deployments.apps production/web", await ItemsAsync("hourly-20261201020000"));
        Assert.DoesNotContain(await ItemsAsync("hourly-20261201020000"), i => i.Contains("staging/"));

        _now += TimeSpan.FromMinutes(20);
        var again = await InvokeOneAsync(Hourly());
        Assert.Equal(ScheduleAction.Skipped, again.Action);
        Assert.Contains("is backed up: 'hourly-20261201020000' (Completed)", again.Reason);
        Assert.Null(again.Backup);

        _now = Utc(2026, 12, 1, 3, 0, 5);
        var next = await InvokeOneAsync(Hourly());
        Assert.Equal(ScheduleAction.Ran, next.Action);
        Assert.Equal("hourly-20261201030000", next.BackupName);
        Assert.Equal(["hourly-20261201020000", "hourly-20261201030000"], await BackupNamesAsync());
    }

    [Fact]
    public async Task MissedSlotsMakeOneBackupForTheLatest()
    {
        await InvokeOneAsync(Hourly());
        _now = Utc(2026, 12, 1, 7, 30);

        var caughtUp = await InvokeOneAsync(Hourly());

        Assert.Equal(ScheduleAction.Ran, caughtUp.Action);
        Assert.Equal("hourly-20261201070000", caughtUp.BackupName);
        Assert.Equal(4, caughtUp.MissedSlots);
        Assert.Contains("Catch-up: 4 missed slots", caughtUp.Reason);
        Assert.Equal(["hourly-20261201020000", "hourly-20261201070000"], await BackupNamesAsync());
    }

    [Fact]
    public async Task APausedScheduleIsSkipped()
    {
        var result = await InvokeOneAsync(Hourly() with { Paused = true });

        Assert.Equal(ScheduleAction.Skipped, result.Action);
        Assert.Equal("The schedule is paused.", result.Reason);
        Assert.Empty(await BackupNamesAsync());
    }

    [Fact]
    public async Task AFailedBackupIsRecordedNotRetriedAndTheNextSlotStillRuns()
    {
        var store = new FailingStore(Store);
        using var repository = await OpenAsync(store: store);
        store.FailPacks = true;

        var failed = await InvokeOneAsync(Hourly(), repository);

        Assert.Equal(ScheduleAction.Failed, failed.Action);
        Assert.Equal(BackupPhase.Failed, failed.Backup!.Phase);
        Assert.Contains("disk on fire", failed.Reason);
        Assert.Contains("this slot is not retried; the next slot runs as usual", failed.Reason);
        var recorded = BackupRecordJson.FromInfo(await repository.GetBackupAsync("hourly-20261201020000"), "test");
        Assert.Equal(BackupPhase.Failed, recorded.Phase);
        Assert.Equal("hourly", recorded.Labels[RestoreRunner.ScheduleLabel]);

        store.FailPacks = false;
        _now += TimeSpan.FromMinutes(10);
        var sameSlot = await InvokeOneAsync(Hourly(), repository);
        Assert.Equal(ScheduleAction.Skipped, sameSlot.Action);
        Assert.Contains("(Failed)", sameSlot.Reason);

        _now = Utc(2026, 12, 1, 3, 0, 5);
        var next = await InvokeOneAsync(Hourly(), repository);
        Assert.Equal(ScheduleAction.Ran, next.Action);
        Assert.Equal(BackupPhase.Completed, next.Backup!.Phase);

        var status = ScheduleDue.Status(Hourly(), (await repository.ListBackupsAsync()).Select(b => BackupRecordJson.FromInfo(b, "test")).ToList(), _now);
        Assert.Equal("hourly-20261201030000", status.LastSuccessfulBackup!.Name);
        Assert.False(status.IsLate);
    }

    [Fact]
    public async Task AClusterThatFailsEveryListMakesAPartiallyFailedBackupThatStillRan()
    {
        Emulator.Faults.Add(KubeApiEmulator.Faults.FaultRule.ServerError("list", "configmaps"));

        var result = await InvokeOneAsync(Hourly());

        Assert.Equal(ScheduleAction.Ran, result.Action);
        Assert.Equal(BackupPhase.PartiallyFailed, result.Backup!.Phase);
        Assert.StartsWith("The backup partially failed: ", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadDefinitionFailsAloneAndTheOthersRun()
    {
        using var scheduler = Scheduler();
        var results = await scheduler.InvokeAsync(Repo, [Hourly("good"), Hourly("bad") with { Cron = "0 2 *" }], RunOptions, default);

        Assert.Equal([("bad", ScheduleAction.Failed), ("good", ScheduleAction.Ran)], results.Select(r => (r.Schedule, r.Action)));
        Assert.Contains("not a valid cron expression", results[0].Reason);
    }

    [Fact]
    public async Task ExpiredBackupsOfTheScheduleAreDeletedAndTheRepositoryPruned()
    {
        var ttl = TimeSpan.FromMinutes(90);
        await InvokeOneAsync(Hourly(ttl: ttl));
        await InvokeOneAsync(Hourly("other", ttl));
        _now = Utc(2026, 12, 1, 3, 0, 10);
        await InvokeOneAsync(Hourly(ttl: ttl));
        // A backup no schedule made is never expired by one.
        await Runner().RunAsync(Repo, new BackupSpec { Ttl = TimeSpan.FromMinutes(1) }, Named("manual") with { Clock = () => Utc(2026, 12, 1, 1) }, default);

        _now = Utc(2026, 12, 1, 4, 0, 10);
        var result = await InvokeOneAsync(Hourly(ttl: ttl));

        Assert.Equal(ScheduleAction.Ran, result.Action);
        // 02:00 expired at 03:30; 03:00 expires at 04:30. Schedules not invoked ("other") keep theirs until they are.
        Assert.Equal(["hourly-20261201020000"], result.Expired);
        Assert.Equal(["hourly-20261201030000", "hourly-20261201040000", "manual", "other-20261201020000"], await BackupNamesAsync());
        Assert.Contains(Sink.All, m => m.Contains("deleted backup 'hourly-20261201020000'"));
        Assert.Empty(Files("locks"));
        Assert.True((await Repo.VerifyAsync()).IsHealthy);
    }

    [Fact]
    public async Task TwoRunnersAtOnceBackUpTheSlotOnce()
    {
        using var second = await OpenAsync();
        for (var round = 0; round < 3; round++)
        {
            _now = Utc(2026, 12, 1, 2 + round, 0, 10);
            using var a = Scheduler();
            using var b = Scheduler();

            var results = await Task.WhenAll(
                Task.Run(() => a.InvokeAsync(Repo, [Hourly()], RunOptions, default)),
                Task.Run(() => b.InvokeAsync(second, [Hourly()], RunOptions, default)));

            var both = results.Select(r => Assert.Single(r)).ToList();
            Assert.Single(both, r => r.Action == ScheduleAction.Ran);
            var skipped = Assert.Single(both, r => r.Action == ScheduleAction.Skipped);
            Assert.Matches("^Another runner (backed up|is backing up) this slot|is backed up: ", skipped.Reason!);
        }
        Assert.Equal(["hourly-20261201020000", "hourly-20261201030000", "hourly-20261201040000"], await BackupNamesAsync());
        Assert.Empty(Files("locks"));
    }

    [Fact]
    public async Task TheSeedsSchedulesRunAtTwoAndOnTheHourWithTheirScopesAndTtls()
    {
        var schedules = VeleroScheduleSpec.Parse(SeedManifests.Schedules, "schedules.yaml").Select(m => m.Schedule with { Created = Utc(2026, 11, 30) }).ToList();
        _now = Utc(2026, 12, 1, 2, 0, 30);
        using var scheduler = Scheduler();

        var atTwo = await scheduler.InvokeAsync(Repo, schedules, RunOptions, default);

        Assert.Equal([("daily-full-backup", ScheduleAction.Ran), ("hourly-critical-backup", ScheduleAction.Ran)], atTwo.Select(r => (r.Schedule, r.Action)));
        var daily = atTwo[0].Backup!;
        Assert.All(atTwo, r => Assert.Equal(BackupPhase.Completed, r.Backup!.Phase));
        Assert.Equal("daily-full-backup-20261201020000", daily.Name);
        Assert.Equal(_now + TimeSpan.FromDays(30), daily.Expires);
        Assert.True(daily.Spec.SnapshotVolumes);
        var dailyItems = await ItemsAsync(daily.Name);
        Assert.Contains("configmaps production/web-config", dailyItems);
        Assert.Contains("configmaps staging/staging-config", dailyItems);
        Assert.DoesNotContain(dailyItems, i => i.Contains("tools/"));

        var hourly = atTwo[1].Backup!;
        Assert.Equal("hourly-critical-backup-20261201020000", hourly.Name);
        Assert.Equal(_now + TimeSpan.FromDays(7), hourly.Expires);
        Assert.Equal(["deployments.apps production/web", "secrets production/db-password"],
            (await ItemsAsync(hourly.Name)).Where(i => i.Contains('/')).Order(StringComparer.Ordinal));

        _now = Utc(2026, 12, 1, 3, 0, 30);
        var atThree = await scheduler.InvokeAsync(Repo, schedules, RunOptions, default);

        Assert.Equal([("daily-full-backup", ScheduleAction.Skipped), ("hourly-critical-backup", ScheduleAction.Ran)], atThree.Select(r => (r.Schedule, r.Action)));
        Assert.Equal("hourly-critical-backup-20261201030000", atThree[1].BackupName);
        Assert.Equal(Utc(2026, 12, 2, 2), ScheduleDue.Status(schedules[0], [daily], _now).NextRun);
    }

    /// <summary>A store whose pack uploads fail on demand: the backup fails after it started, and is recorded as Failed.</summary>
    private sealed class FailingStore(IObjectStore inner) : IObjectStore
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
