using KubeBackup.Core.Backup;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Schedules;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Tests.Backup;
using KubeBackup.Core.Tests.Cluster.Discovery;
using KubeBackup.Core.Tests.Storage;
using KubeBackup.Core.Tests.Storage.Servers;
using static KubeBackup.Core.Tests.Schedules.ScheduleCronTests;

namespace KubeBackup.Core.Tests.Schedules;

/// <summary>Schedules stored in and run against an S3 location (s3rver): two runners sharing it see the same schedules and slots.</summary>
[Collection(S3rverCollection.Name)]
public sealed class ScheduleRunnerS3Tests(S3rverFixture s3rver) : BackupTestKit
{
    [Fact]
    public async Task TwoRunnersOfOneS3LocationShareSchedulesSlotsAndExpiry()
    {
        var bucket = await s3rver.CreateBucketAsync();
        using var first = await InitAsync(store: ObjectStoreFactory.Create(s3rver.S3Location(bucket), StorageTestOptions.With()));
        using var second = await OpenAsync(store: ObjectStoreFactory.Create(s3rver.S3Location(bucket), StorageTestOptions.With()));
        var now = Utc(2026, 12, 1, 2, 0, 10);
        var options = new ScheduleRunOptions { Clock = () => now, Backup = new BackupRunOptions { StorageLocation = "s3", MaxConcurrentItems = 2 } };
        await new ScheduleStore(first, () => now).CreateAsync(new BackupSchedule
        {
            Name = "critical",
            Cron = "CRON_TZ=Asia/Shanghai 0 * * * *",
            Template = new BackupSpec { IncludedNamespaces = ["production"], LabelSelector = "backup=critical", Ttl = TimeSpan.FromMinutes(90) },
        });
        using var scheduler = new ScheduleRunner(ClusterTestKit.Connect(Emulator), Sink);

        var ran = Assert.Single(await scheduler.InvokeAsync(first, await new ScheduleStore(first).ListAsync(), options, default));
        var skipped = Assert.Single(await scheduler.InvokeAsync(second, await new ScheduleStore(second).ListAsync(), options, default));

        Assert.Equal((ScheduleAction.Ran, "critical-20261201020000"), (ran.Action, ran.BackupName));
        Assert.Equal(ScheduleAction.Skipped, skipped.Action);
        Assert.Equal(["deployments.apps production/web", "secrets production/db-password"],
            (await (await second.OpenBackupAsync("critical-20261201020000")).GetManifestAsync()).Select(e => Describe(e.Key)).Where(i => i.Contains('/')).Order(StringComparer.Ordinal));

        now = Utc(2026, 12, 1, 4, 0, 10);
        var later = Assert.Single(await scheduler.InvokeAsync(second, await new ScheduleStore(second).ListAsync(), options, default));

        Assert.Equal((ScheduleAction.Ran, "critical-20261201040000"), (later.Action, later.BackupName));
        Assert.Equal(1, later.MissedSlots);
        Assert.Equal(["critical-20261201020000"], later.Expired);
        Assert.Equal(["critical-20261201040000"], (await first.ListBackupsAsync()).Select(b => b.Name));
    }
}
