using KubeApiEmulator;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Failover;
using KubeBackup.Core.Restore;
using KubeBackup.Core.Tests.Cluster.Discovery;
using KubeBackup.Core.Tests.Restore;

namespace KubeBackup.Core.Tests.Failover;

/// <summary>StandbySync: the kit's shop backed up, then applied to the Target emulator in standby form.</summary>
public sealed class StandbySyncTests : RestoreTestKit
{
    private const string Annotation = "original-replicas";

    private DateTimeOffset _now;

    private StandbySyncOptions SyncOptions(string? backup = null, bool force = false, IReadOnlyList<string>? namespaces = null, string? schedule = null, string? prefix = null) => new()
    {
        AnnotationPrefix = prefix,
        BackupName = backup,
        ScheduleName = schedule,
        Force = force,
        Namespaces = namespaces ?? [],
        Restore = new RestoreRunOptions { StorageLocation = "test", WaitTimeout = TimeSpan.FromSeconds(5), Clock = () => _now },
    };

    private async Task<StandbySyncResult> SyncAsync(StandbySyncOptions options)
    {
        var sync = new StandbySync(ClusterTestKit.Open(Target.KubeconfigYaml), Sink);
        var plan = await sync.PlanAsync(Repo, options, default);
        return await sync.RunAsync(Repo, plan, options, default);
    }

    /// <summary>A backup of the shop's namespaces; the fixed clock is set 10 minutes after it started.</summary>
    private async Task<BackupSummary> BackupAtAsync(string name, BackupSpec? spec = null)
    {
        var backup = await BackupAsync(name, (spec ?? new BackupSpec()) with { IncludedNamespaces = ["production", "staging", "tools"] });
        Assert.Equal(BackupPhase.Completed, backup.Phase);
        _now = backup.Started + TimeSpan.FromMinutes(10);
        return backup;
    }

    private (int? Replicas, string? Annotation) Read(string ns, string kind, string name)
    {
        var item = Live(Target, "apps/v1", kind, ns, name);
        Assert.True(item is not null, $"{kind} {ns}/{name} is not in the DR cluster");
        return ((int?)item!["spec"]?["replicas"], (string?)item["metadata"]?["annotations"]?[Annotation]);
    }

    private (string? Backup, DateTimeOffset? DataTime) Mark(string ns)
    {
        var item = Live(Target, "v1", "Namespace", null, ns);
        return (StandbyMarks.Backup(item), StandbyMarks.DataTime(item));
    }

    private static DateTimeOffset Seconds(DateTimeOffset time) => new(time.UtcDateTime.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);

    [Fact]
    public async Task Workloads_are_synced_at_zero_with_the_source_replicas_and_the_namespaces_are_marked()
    {
        var backup = await BackupAtAsync("nightly-1");

        var result = await SyncAsync(SyncOptions());

        Assert.Equal(StandbySyncStatus.Synced, result.Status);
        Assert.Equal("nightly-1", result.Backup);
        Assert.Equal(backup.Started, result.DataTime);
        Assert.Equal(TimeSpan.FromMinutes(10), result.Rpo);
        Assert.Equal(1, result.Workloads);
        Assert.NotNull(result.Restore);
        Assert.Equal(["production", "staging", "tools"], result.Namespaces);
        Assert.Equal((0, "2"), Read("production", "Deployment", "web"));
        // The source keeps running.
        Assert.Equal(2, (int?)Live(Emulator, "apps/v1", "Deployment", "production", "web")!["spec"]!["replicas"]);
        foreach (var ns in result.Namespaces)
        {
            Assert.Equal(("nightly-1", (DateTimeOffset?)Seconds(backup.Started)), Mark(ns));
        }
        Assert.Equal("blue", (string?)Live(Target, "v1", "ConfigMap", "production", "web-config")?["data"]?["color"]);
    }

    [Fact]
    public async Task A_second_sync_of_the_same_backup_is_up_to_date_and_restores_nothing_unless_forced()
    {
        await BackupAtAsync("nightly-1");
        var first = await SyncAsync(SyncOptions());
        var restores = await Repo.ListRestoresAsync();

        _now += TimeSpan.FromMinutes(5);
        var second = await SyncAsync(SyncOptions());

        Assert.Equal(StandbySyncStatus.UpToDate, second.Status);
        Assert.Null(second.Restore);
        Assert.Equal(TimeSpan.FromMinutes(15), second.Rpo);
        Assert.Equal(restores, await Repo.ListRestoresAsync());

        _now += TimeSpan.FromMinutes(5);
        var forced = await SyncAsync(SyncOptions(force: true));

        Assert.Equal(StandbySyncStatus.Synced, forced.Status);
        Assert.NotNull(forced.Restore);
        Assert.NotEqual(first.Restore, forced.Restore);
        Assert.Contains(forced.Restore, await Repo.ListRestoresAsync());
        Assert.Equal(restores.Count + 1, (await Repo.ListRestoresAsync()).Count);
        Assert.Equal((0, "2"), Read("production", "Deployment", "web"));
    }

    [Fact]
    public async Task A_newer_backup_after_the_source_scaled_moves_the_recorded_count_and_keeps_the_workload_at_zero()
    {
        await BackupAtAsync("nightly-1");
        await SyncAsync(SyncOptions());
        Assert.Equal((0, "2"), Read("production", "Deployment", "web"));

        var web = Live(Emulator, "apps/v1", "Deployment", "production", "web")!;
        web["spec"]!["replicas"] = 5;
        Emulator.Cluster.Put(web);
        var newer = await BackupAtAsync("nightly-2");

        var result = await SyncAsync(SyncOptions());

        Assert.Equal(StandbySyncStatus.Synced, result.Status);
        Assert.Equal("nightly-2", result.Backup);
        Assert.Equal((0, "5"), Read("production", "Deployment", "web"));
        Assert.Equal(("nightly-2", (DateTimeOffset?)Seconds(newer.Started)), Mark("production"));
    }

    [Fact]
    public async Task A_workload_only_in_the_DR_namespace_is_put_on_standby_too()
    {
        Target.Cluster.LoadYaml("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: production}
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: dr-only, namespace: production}
            spec:
              replicas: 3
              serviceName: dr-only
              selector: {matchLabels: {app: dr-only}}
              template: {metadata: {labels: {app: dr-only}}, spec: {containers: [{name: c, image: nginx}]}}
            """);
        await BackupAtAsync("nightly-1");

        var result = await SyncAsync(SyncOptions());

        Assert.Equal(StandbySyncStatus.Synced, result.Status);
        Assert.Equal(2, result.Workloads);
        Assert.Equal((0, "3"), Read("production", "StatefulSet", "dr-only"));
        Assert.Equal((0, "2"), Read("production", "Deployment", "web"));
    }

    [Fact]
    public async Task A_namespace_filter_with_a_wildcard_syncs_only_the_matching_namespaces()
    {
        await BackupAtAsync("nightly-1");

        var result = await SyncAsync(SyncOptions(namespaces: ["prod*"]));

        Assert.Equal(StandbySyncStatus.Synced, result.Status);
        Assert.Equal(["production"], result.Namespaces);
        Assert.Equal((0, "2"), Read("production", "Deployment", "web"));
        Assert.Equal("nightly-1", Mark("production").Backup);
        Assert.Null(Live(Target, "v1", "Namespace", null, "staging"));
        Assert.Null(Live(Target, "v1", "ConfigMap", "staging", "staging-config"));
    }

    [Fact]
    public async Task System_namespaces_are_synced_only_when_named_exactly()
    {
        Emulator.Cluster.LoadYaml("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: coredns, namespace: kube-system}
            data: {Corefile: ".:53 {}"}
            """);
        var backup = await BackupAsync("whole", new BackupSpec { IncludedNamespaces = ["production", "kube-system"] });
        _now = backup.Started + TimeSpan.FromMinutes(10);

        var result = await SyncAsync(SyncOptions());

        Assert.Equal(["production"], result.Namespaces);
        Assert.Contains(Sink.Warnings, w => w.Contains("system namespace(s) kube-system; they are not synced", StringComparison.Ordinal));
        Assert.Null(Live(Target, "v1", "ConfigMap", "kube-system", "coredns"));

        _now += TimeSpan.FromMinutes(1);
        var named = await SyncAsync(SyncOptions(force: true, namespaces: ["kube-system"]));
        Assert.Equal(["kube-system"], named.Namespaces);
        Assert.NotNull(Live(Target, "v1", "ConfigMap", "kube-system", "coredns"));
    }

    [Fact]
    public async Task A_filter_matching_no_namespace_of_the_backup_is_StandbyNothingToSync()
    {
        await BackupAtAsync("nightly-1");

        var e = await Assert.ThrowsAsync<KbException>(() => SyncAsync(SyncOptions(namespaces: ["nope*"])));

        Assert.Equal(ErrorIds.StandbyNothingToSync, e.ErrorId);
        Assert.Contains("production", e.Message);
        Assert.Empty(await Repo.ListRestoresAsync());
        Assert.Null(Live(Target, "v1", "Namespace", null, "production"));
    }

    [Fact]
    public async Task The_newest_backup_of_a_schedule_is_applied_and_a_schedule_without_backups_is_NoBackupToRestore()
    {
        var labels = new Dictionary<string, string> { [KubeBackup.Core.Restore.RestoreRunner.ScheduleLabel] = "hourly" };
        await BackupAtAsync("hourly-1", new BackupSpec { Labels = labels });
        await BackupAtAsync("other-1");

        var result = await SyncAsync(SyncOptions(schedule: "hourly"));
        Assert.Equal(("hourly-1", StandbySyncStatus.Synced), (result.Backup, result.Status));

        var e = await Assert.ThrowsAsync<KbException>(() => SyncAsync(SyncOptions(schedule: "weekly")));
        Assert.Equal(ErrorIds.NoBackupToRestore, e.ErrorId);
    }

    [Fact]
    public async Task A_DR_workload_with_an_unreadable_annotation_makes_the_sync_partial_and_leaves_the_namespaces_unmarked()
    {
        Target.Cluster.LoadYaml("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: production}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: broken, namespace: production, annotations: {original-replicas: three}}
            spec:
              replicas: 2
              selector: {matchLabels: {app: broken}}
              template: {metadata: {labels: {app: broken}}, spec: {containers: [{name: c, image: nginx}]}}
            """);
        await BackupAtAsync("nightly-1");

        var result = await SyncAsync(SyncOptions());

        Assert.Equal(StandbySyncStatus.PartiallyFailed, result.Status);
        Assert.Contains("'three'", result.Message);
        Assert.Equal(1, result.Workloads);
        Assert.NotNull(result.Restore);
        Assert.Equal((0, "2"), Read("production", "Deployment", "web"));
        Assert.Equal((2, "three"), Read("production", "Deployment", "broken"));
        Assert.Equal(((string?)null, (DateTimeOffset?)null), Mark("production"));
        Assert.Equal(((string?)null, (DateTimeOffset?)null), Mark("staging"));
    }

    [Fact]
    public async Task The_annotation_prefix_names_the_recorded_count()
    {
        await BackupAtAsync("nightly-1");

        var result = await SyncAsync(SyncOptions(prefix: "kubebackup.io/"));

        Assert.Equal(StandbySyncStatus.Synced, result.Status);
        var web = Live(Target, "apps/v1", "Deployment", "production", "web")!;
        Assert.Equal(0, (int?)web["spec"]!["replicas"]);
        Assert.Equal("2", (string?)web["metadata"]!["annotations"]!["kubebackup.io/original-replicas"]);
        Assert.Null(web["metadata"]!["annotations"]![Annotation]);
    }

    [Fact]
    public async Task A_failover_after_the_sync_reads_its_marks_and_scales_the_workloads_back()
    {
        var backup = await BackupAtAsync("nightly-1");
        await SyncAsync(SyncOptions());

        var report = await new FailoverRunner(new FailoverOptions
        {
            OpenDr = () => ClusterTestKit.Open(Target.KubeconfigYaml),
            DrContext = "dr",
            Namespaces = ["production", "staging"],
            MaxDataLoss = TimeSpan.FromHours(1),
            Clock = () => _now,
            Timeout = TimeSpan.FromSeconds(4),
        }).RunAsync(default);

        Assert.True(report.Succeeded, string.Join(" | ", report.Steps.Select(s => $"{s}: {s.Message}")));
        Assert.Equal("nightly-1", report.StandbyBackup);
        // The mark keeps whole seconds: the RPO is the 10 minutes plus the backup start's fraction of a second.
        Assert.Equal(_now - Seconds(backup.Started), report.Rpo);
        Assert.InRange(report.Rpo!.Value, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        Assert.Equal((2, (string?)null), Read("production", "Deployment", "web"));
    }

    [Fact]
    public async Task An_older_backup_never_replaces_newer_data_unless_forced()
    {
        var older = await BackupAtAsync("nightly-1");
        await Task.Delay(1100); // the marks keep whole seconds
        var newer = await BackupAtAsync("nightly-2");
        await SyncAsync(SyncOptions("nightly-2"));

        var skipped = await SyncAsync(SyncOptions("nightly-1"));

        Assert.Equal(StandbySyncStatus.UpToDate, skipped.Status);
        Assert.Contains("newer data (from backup nightly-2)", skipped.Message, StringComparison.Ordinal);
        // The result says what the standby holds: the newer backup and its age.
        Assert.Equal(("nightly-2", Seconds(newer.Started)), (skipped.Backup, skipped.DataTime));
        Assert.Equal(_now - Seconds(newer.Started), skipped.Rpo);
        Assert.Null(skipped.Restore);
        Assert.Equal("nightly-2", Mark("production").Backup);

        var forced = await SyncAsync(SyncOptions("nightly-1", force: true));
        Assert.Equal(StandbySyncStatus.Synced, forced.Status);
        Assert.Equal(("nightly-1", (DateTimeOffset?)Seconds(older.Started)), Mark("production"));
        Assert.True(newer.Started > older.Started);
    }

    [Fact]
    public async Task A_namespace_a_failover_promoted_is_refused_until_it_is_a_standby_again()
    {
        await BackupAtAsync("nightly-1");
        await SyncAsync(SyncOptions());
        var connection = ClusterTestKit.Open(Target.KubeconfigYaml);
        using (var workloads = new FailoverWorkloads(connection))
        {
            await workloads.MarkNamespaceAsync("staging", StandbyMarks.PromotedPatch(_now), default);
        }
        await BackupAtAsync("nightly-2");

        var refused = await Assert.ThrowsAsync<KbException>(() => SyncAsync(SyncOptions(force: true)));

        Assert.Equal(ErrorIds.StandbyPromoted, refused.ErrorId);
        Assert.Equal("staging", refused.Target);
        Assert.Contains("Set-KbStandby", refused.Message, StringComparison.Ordinal);
        Assert.Equal("nightly-1", Mark("production").Backup);

        using (var standby = new StandbyWorkloads(connection))
        {
            Assert.NotNull(await standby.PromotedAsync("staging", default));
            await standby.ClearPromotedAsync("staging", default);
            Assert.Null(await standby.PromotedAsync("staging", default));
        }
        Assert.Equal(StandbySyncStatus.Synced, (await SyncAsync(SyncOptions())).Status);
        Assert.Equal("nightly-2", Mark("staging").Backup);
    }

    [Fact]
    public async Task The_source_clusters_role_marks_are_not_restored_with_its_namespaces()
    {
        var ns = Live(Emulator, "v1", "Namespace", null, "production")!;
        ns["metadata"]!["annotations"] = new System.Text.Json.Nodes.JsonObject
        {
            [StandbyMarks.PromotedAnnotation] = "2026-11-24T01:00:00Z",
            [StandbyMarks.BackupAnnotation] = "elsewhere",
            ["team"] = "shop",
        };
        Emulator.Cluster.Put(ns);
        var backup = await BackupAtAsync("nightly-1");

        Assert.Equal(StandbySyncStatus.Synced, (await SyncAsync(SyncOptions())).Status);

        var restored = Live(Target, "v1", "Namespace", null, "production")!;
        Assert.Null(StandbyMarks.Promoted(restored));
        Assert.Equal(("nightly-1", (DateTimeOffset?)Seconds(backup.Started)), Mark("production"));
        Assert.Equal("shop", (string?)restored["metadata"]!["annotations"]!["team"]);
    }
}
