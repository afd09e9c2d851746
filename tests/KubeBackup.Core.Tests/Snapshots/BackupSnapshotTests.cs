using System.Text.Json.Nodes;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Restore;
using KubeBackup.Core.Tests.Restore;

namespace KubeBackup.Core.Tests.Snapshots;

/// <summary>New-KbBackup -SnapshotVolumes and the restore of snapshotted claims, between two emulators.</summary>
public sealed class BackupSnapshotTests : RestoreTestKit
{
    private const string Volumes = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: vol}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data-db-0, namespace: vol, labels: {app: db}}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}, storageClassName: standard}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: uploads, namespace: vol, labels: {app: web}}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: standard}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: vol}
        data: {a: "1"}
        """;

    private const string Nfs = """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: nfs}
        provisioner: nfs.csi.k8s.io
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: shared, namespace: vol}
        spec: {accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}, storageClassName: nfs}
        """;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Emulator.Cluster.LoadYaml(Volumes);
        foreach (var cluster in new[] { Emulator, Target })
        {
            cluster.Controllers.SnapshotReadyDelay = TimeSpan.FromMilliseconds(10);
        }
        await SnapshotTakerTests.WaitBoundAsync(Emulator, "vol", "data-db-0", "uploads");
    }

    private static BackupSpec Snapshotting(TimeSpan? timeout = null) =>
        new() { IncludedNamespaces = ["vol"], SnapshotVolumes = true, SnapshotTimeout = timeout ?? TimeSpan.FromSeconds(10) };

    private static JsonObject? Snapshot(KubeApiEmulator.EmulatorServer cluster, string ns, string name) =>
        cluster.Cluster.Get("snapshot.storage.k8s.io/v1", "VolumeSnapshot", ns, name);

    [Fact]
    public async Task Claims_are_snapshotted_recorded_and_their_contents_retained()
    {
        var backup = await BackupAsync("snap1", Snapshotting());

        Assert.Equal(BackupPhase.Completed, backup.Phase);
        Assert.Equal(2, backup.VolumeSnapshots.Count);
        var db = Assert.Single(backup.VolumeSnapshots, s => s.PersistentVolumeClaim == "data-db-0");
        Assert.True(db.Ready);
        Assert.Equal("data-db-0-snap1", db.Snapshot);
        Assert.Equal("hostpath.csi.k8s.io", db.Driver);
        Assert.Equal("csi-hostpath-snapclass", db.SnapshotClass);
        Assert.Equal("10Gi", db.RestoreSize);
        Assert.NotNull(db.SnapshotHandle);
        var content = Emulator.Cluster.Get("snapshot.storage.k8s.io/v1", "VolumeSnapshotContent", null, db.Content!)!;
        Assert.Equal("Retain", (string?)content["spec"]!["deletionPolicy"]);
        Assert.Equal("snap1", (string?)content["metadata"]!["annotations"]!["kubebackup.io/retained-by"]);
        var live = Snapshot(Emulator, "vol", "data-db-0-snap1")!;
        Assert.Equal("snap1", (string?)live["metadata"]!["labels"]!["kubebackup.io/backup-name"]);
        Assert.Null(live["metadata"]!["labels"]!["backup-type"]);

        // The record keeps them: what Get-KbBackup and a restore read back.
        var read = BackupRecordJson.FromInfo(await Repo.GetBackupAsync("snap1", default), null);
        Assert.Equal(backup.VolumeSnapshots, read.VolumeSnapshots);
        Assert.True(read.Spec.SnapshotVolumes);
    }

    [Fact]
    public async Task A_claim_that_cannot_be_snapshotted_makes_the_backup_partially_failed_naming_it()
    {
        Emulator.Cluster.LoadYaml(Nfs);
        await SnapshotTakerTests.WaitBoundAsync(Emulator, "vol", "shared");

        var backup = await BackupAsync("snap-nfs", Snapshotting());

        Assert.Equal(BackupPhase.PartiallyFailed, backup.Phase);
        var error = Assert.Single(backup.Problems, p => p.Severity == BackupProblemSeverity.Error);
        Assert.Equal("persistentvolumeclaims vol/shared", error.Target);
        Assert.Contains("nfs.csi.k8s.io", error.Message);
        Assert.False(Assert.Single(backup.VolumeSnapshots, s => s.PersistentVolumeClaim == "shared").Ready);
        Assert.Equal(2, backup.VolumeSnapshots.Count(s => s.Ready));
        Assert.True(backup.ItemsBackedUp > 0);
    }

    [Fact]
    public async Task A_snapshot_that_fails_or_never_becomes_ready_is_named_in_the_backup()
    {
        Emulator.Controllers.SnapshotErrors["vol/uploads-snap-slow"] = "rpc error: code = ResourceExhausted desc = snapshot quota";
        Emulator.Controllers.SnapshotsNeverReadyByName["vol/data-db-0-snap-slow"] = true;

        var backup = await BackupAsync("snap-slow", Snapshotting(TimeSpan.FromMilliseconds(800)));

        Assert.Equal(BackupPhase.PartiallyFailed, backup.Phase);
        var errors = backup.Problems.Where(p => p.Severity == BackupProblemSeverity.Error).ToList();
        Assert.Contains(errors, e => e.Target == "persistentvolumeclaims vol/uploads" && e.Message.Contains("snapshot quota"));
        Assert.Contains(errors, e => e.Target == "persistentvolumeclaims vol/data-db-0" && e.Message.Contains("not ready to use after"));
    }

    [Fact]
    public async Task A_cluster_without_snapshot_crds_fails_each_claim_but_keeps_the_backup()
    {
        await using var bare = await KubeApiEmulator.EmulatorServer.StartAsync(new KubeApiEmulator.EmulatorOptions { InstallSnapshotCrds = false });
        bare.Cluster.LoadYaml(Volumes);
        await SnapshotTakerTests.WaitBoundAsync(bare, "vol", "data-db-0", "uploads");

        var backup = await new BackupRunner(Cluster.Discovery.ClusterTestKit.Connect(bare), Sink).RunAsync(Repo, Snapshotting(), Named("bare"), default);

        Assert.Equal(BackupPhase.PartiallyFailed, backup.Phase);
        Assert.Equal(2, backup.Problems.Count(p => p.Severity == BackupProblemSeverity.Error && p.Message.Contains("does not serve snapshot.storage.k8s.io/v1")));
        Assert.True(backup.ItemsBackedUp > 0);
    }

    [Fact]
    public async Task Claims_are_restored_from_their_snapshots_in_another_cluster()
    {
        var backup = await BackupAsync("snap-x", Snapshotting());
        var db = backup.VolumeSnapshots.Single(s => s.PersistentVolumeClaim == "data-db-0");

        var restore = await RestoreAsync(Target, "r1", new RestoreSpec { BackupName = "snap-x" });

        Assert.Equal(RestorePhase.Completed, restore.Phase);
        var claim = Live(Target, "v1", "PersistentVolumeClaim", "vol", "data-db-0")!;
        Assert.Equal("VolumeSnapshot", (string?)claim["spec"]!["dataSource"]!["kind"]);
        Assert.Equal("data-db-0-snap-x", (string?)claim["spec"]!["dataSource"]!["name"]);
        var snapshot = Snapshot(Target, "vol", "data-db-0-snap-x")!;
        var contentName = (string?)snapshot["spec"]!["source"]!["volumeSnapshotContentName"];
        var content = Target.Cluster.Get("snapshot.storage.k8s.io/v1", "VolumeSnapshotContent", null, contentName!)!;
        Assert.Equal(db.SnapshotHandle, (string?)content["spec"]!["source"]!["snapshotHandle"]);
        Assert.Equal("Retain", (string?)content["spec"]!["deletionPolicy"]);
        await SnapshotTakerTests.WaitBoundAsync(Target, "vol", "data-db-0", "uploads");
        Assert.Equal("Bound", (string?)Live(Target, "v1", "PersistentVolumeClaim", "vol", "data-db-0")!["status"]!["phase"]);

        // The source's volumes are not restored: the claims got new ones from the snapshots.
        var items = await ItemResultsAsync("r1");
        Assert.All(items.Where(i => i.Resource == "persistentvolumes"), i => Assert.Equal(RestoreAction.Skip, i.Action));
        Assert.Contains(items, i => i.Resource == "volumesnapshotcontents" && i.Action == RestoreAction.Create && i.Outcome == RestoreOutcome.Created);
    }

    [Fact]
    public async Task A_claim_is_restored_from_its_retained_snapshot_after_its_namespace_is_deleted()
    {
        await BackupAsync("snap-dr", Snapshotting());
        Emulator.Cluster.Delete("v1", "Namespace", null, "vol");
        for (var i = 0; i < 300 && Emulator.Cluster.Get("v1", "Namespace", null, "vol") is not null; i++)
        {
            await Task.Delay(20);
        }
        Assert.Null(Snapshot(Emulator, "vol", "data-db-0-snap-dr"));

        var restore = await RestoreAsync(Emulator, "r-dr", new RestoreSpec { BackupName = "snap-dr" });

        Assert.Equal(RestorePhase.Completed, restore.Phase);
        await SnapshotTakerTests.WaitBoundAsync(Emulator, "vol", "data-db-0", "uploads");
        Assert.True((bool?)Snapshot(Emulator, "vol", "data-db-0-snap-dr")!["status"]?["readyToUse"] == true);
        Assert.Equal("Bound", (string?)Live(Emulator, "v1", "PersistentVolumeClaim", "vol", "data-db-0")!["status"]!["phase"]);
    }

    [Fact]
    public async Task A_restore_into_the_namespace_it_came_from_uses_the_existing_snapshot()
    {
        await BackupAsync("snap-same", Snapshotting());

        var restore = await RestoreAsync(Emulator, "r-same", new RestoreSpec { BackupName = "snap-same", NamespaceMapping = new Dictionary<string, string> { ["vol"] = "vol-copy" } });
        Assert.Equal(RestorePhase.Completed, restore.Phase);
        await SnapshotTakerTests.WaitBoundAsync(Emulator, "vol-copy", "data-db-0", "uploads");
        Assert.Equal("Bound", (string?)Live(Emulator, "v1", "PersistentVolumeClaim", "vol-copy", "data-db-0")!["status"]!["phase"]);

        var plan = await RestoreRunner(Emulator).PlanAsync(Repo, new RestoreSpec { BackupName = "snap-same" }, RestoreNamed("r-same-2"), default);
        Assert.Contains(plan, i => i.Resource == "volumesnapshotcontents" && i.Action == RestoreAction.Skip && i.Reason!.Contains("exists in the target cluster"));
    }

    [Fact]
    public async Task A_target_without_snapshot_crds_refuses_the_snapshotted_claims_with_the_reason()
    {
        await BackupAsync("snap-nocrd", Snapshotting());
        await using var bare = await KubeApiEmulator.EmulatorServer.StartAsync(new KubeApiEmulator.EmulatorOptions { InstallSnapshotCrds = false });

        var restore = await RestoreAsync(bare, "r-nocrd", new RestoreSpec { BackupName = "snap-nocrd" });

        Assert.Equal(RestorePhase.PartiallyFailed, restore.Phase);
        var items = await ItemResultsAsync("r-nocrd");
        var claim = Assert.Single(items, i => i.Resource == "persistentvolumeclaims" && i.Name == "data-db-0");
        Assert.Equal(RestoreAction.Invalid, claim.Action);
        Assert.Contains("serves no snapshot.storage.k8s.io VolumeSnapshots", claim.Reason);
        Assert.NotNull(Live(bare, "v1", "ConfigMap", "vol", "settings"));
    }
}
