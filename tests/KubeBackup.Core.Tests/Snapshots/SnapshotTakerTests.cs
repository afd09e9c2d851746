using KubeApiEmulator;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Snapshots;
using KubeBackup.Core.Tests.Cluster.Discovery;

namespace KubeBackup.Core.Tests.Snapshots;

/// <summary>Snapshots against the emulator's CSI snapshot controller: classes, readiness, errors, timeouts, names.</summary>
public sealed class SnapshotTakerTests : IAsyncLifetime
{
    public const string Claims = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: prod}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data-db-0, namespace: prod, labels: {backup: enabled}}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}, storageClassName: standard}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: uploads, namespace: prod, labels: {backup: enabled}}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: standard}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: scratch, namespace: prod}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: standard}
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: nfs}
        provisioner: nfs.csi.k8s.io
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: shared, namespace: prod, labels: {backup: enabled}}
        spec: {accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}, storageClassName: nfs}
        """;

    private EmulatorServer _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorServer.StartAsync();
        _emulator.Cluster.LoadYaml(Claims);
        _emulator.Controllers.SnapshotReadyDelay = TimeSpan.FromMilliseconds(10);
        await WaitBoundAsync(_emulator, "prod", "data-db-0", "uploads", "scratch", "shared");
    }

    /// <summary>The volume controller binds claims asynchronously, as a real one does.</summary>
    internal static async Task WaitBoundAsync(EmulatorServer emulator, string ns, params string[] claims)
    {
        for (var i = 0; i < 200 && !claims.All(c => (string?)emulator.Cluster.Get("v1", "PersistentVolumeClaim", ns, c)?["status"]?["phase"] == "Bound"); i++)
        {
            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private VolumeSnapshotClient Client() => new(ClusterTestKit.Connect(_emulator));

    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 12, 5, 0, TimeSpan.Zero);

    private static SnapshotRequest Request(TimeSpan? timeout = null) => new() { Clock = () => Noon, Timeout = timeout ?? TimeSpan.FromSeconds(10) };

    private async Task<IReadOnlyList<VolumeSnapshotResult>> TakeAsync(SnapshotRequest request, string selector = "backup=enabled")
    {
        var client = Client();
        var taker = new SnapshotTaker(client);
        var claims = await client.ListClaimsAsync(["prod"], selector, default);
        return await taker.TakeAsync(await taker.PlanAsync(claims, request, default), request, wait: true, default);
    }

    [Fact]
    public async Task Selected_claims_are_snapshotted_with_the_seeds_names_labels_and_default_class()
    {
        var results = await TakeAsync(Request(), "backup=enabled,app notin (x)");
        var ready = results.Where(r => r.Status == SnapshotOutcome.Ready).OrderBy(r => r.PersistentVolumeClaim).ToList();
        Assert.Equal(["data-db-0", "uploads"], ready.Select(r => r.PersistentVolumeClaim));
        Assert.Equal("data-db-0-snap-20261124-1205", ready[0].Snapshot);
        Assert.Equal("csi-hostpath-snapclass", ready[0].SnapshotClass);
        Assert.Equal("10Gi", ready[0].RestoreSize);
        var live = _emulator.Cluster.Get("snapshot.storage.k8s.io/v1", "VolumeSnapshot", "prod", "data-db-0-snap-20261124-1205")!;
        Assert.Equal("daily", (string?)live["metadata"]!["labels"]!["backup-type"]);
        Assert.Equal("data-db-0", (string?)live["metadata"]!["labels"]!["source-pvc"]);
        Assert.Equal("data-db-0", (string?)live["spec"]!["source"]!["persistentVolumeClaimName"]);
        Assert.Null(_emulator.Cluster.Get("snapshot.storage.k8s.io/v1", "VolumeSnapshot", "prod", "scratch-snap-20261124-1205"));
    }

    [Fact]
    public async Task A_claim_whose_storage_class_has_no_snapshot_class_fails_alone_and_names_the_driver()
    {
        var results = await TakeAsync(Request());
        var shared = Assert.Single(results, r => r.PersistentVolumeClaim == "shared");
        Assert.Equal(SnapshotOutcome.Failed, shared.Status);
        Assert.Equal(ErrorIds.SnapshotClassNotFound, shared.ErrorId);
        Assert.Contains("nfs.csi.k8s.io", shared.Message);
        Assert.Equal(2, results.Count(r => r.Status == SnapshotOutcome.Ready));
    }

    [Fact]
    public async Task A_named_class_of_another_driver_or_that_does_not_exist_is_refused()
    {
        var client = Client();
        var claim = (await client.GetClaimAsync("prod", "uploads", default))!;
        var (cls, problem) = await client.ResolveClassAsync(claim, "missing-class", default);
        Assert.Null(cls);
        Assert.Contains("'missing-class' does not exist", problem);
        Assert.Contains("csi-hostpath-snapclass", problem);
    }

    [Fact]
    public async Task A_snapshot_the_controller_fails_reports_its_error_message()
    {
        _emulator.Controllers.SnapshotErrors["prod/uploads-snap-20261124-1205"] = "rpc error: code = Internal desc = disk quota exceeded";
        var results = await TakeAsync(Request());
        var uploads = Assert.Single(results, r => r.PersistentVolumeClaim == "uploads");
        Assert.Equal(SnapshotOutcome.Failed, uploads.Status);
        Assert.Equal(ErrorIds.SnapshotFailed, uploads.ErrorId);
        Assert.Contains("disk quota exceeded", uploads.Message);
    }

    [Fact]
    public async Task A_snapshot_that_never_becomes_ready_times_out_named()
    {
        _emulator.Controllers.SnapshotsNeverReadyByName["prod/data-db-0-snap-20261124-1205"] = true;
        var results = await TakeAsync(Request(TimeSpan.FromMilliseconds(600)));
        var db = Assert.Single(results, r => r.PersistentVolumeClaim == "data-db-0");
        Assert.Equal(SnapshotOutcome.TimedOut, db.Status);
        Assert.Equal(ErrorIds.SnapshotTimedOut, db.ErrorId);
        Assert.Contains("prod/data-db-0-snap-20261124-1205", db.Message);
        Assert.Equal(SnapshotOutcome.Ready, Assert.Single(results, r => r.PersistentVolumeClaim == "uploads").Status);
    }

    [Fact]
    public async Task A_second_run_in_the_same_minute_skips_the_existing_snapshots()
    {
        await TakeAsync(Request());
        var again = await TakeAsync(Request());
        Assert.All(again.Where(r => r.PersistentVolumeClaim != "shared"), r => Assert.Equal(SnapshotOutcome.Skipped, r.Status));
    }

    [Fact]
    public async Task Names_longer_than_253_characters_are_refused_or_fitted()
    {
        var format = "{pvc}-" + new string('x', 250);
        var refused = await TakeAsync(Request() with { NameFormat = format });
        Assert.All(refused, r => Assert.Equal(SnapshotOutcome.Failed, r.Status));
        Assert.Contains(refused, r => r.ErrorId == ErrorIds.SnapshotNameInvalid && r.Message!.Contains("more than the 253"));
        var fitted = await TakeAsync(Request() with { NameFormat = format, FitLongNames = true });
        Assert.All(fitted.Where(r => r.PersistentVolumeClaim != "shared"), r => Assert.Equal(SnapshotOutcome.Ready, r.Status));
        Assert.All(fitted, r => Assert.True(r.Snapshot!.Length <= 253));
        Assert.NotEqual(fitted[0].Snapshot, fitted[1].Snapshot);
    }

    [Fact]
    public async Task A_format_that_gives_two_claims_one_name_refuses_both_instead_of_skipping_one()
    {
        var results = await TakeAsync(Request() with { NameFormat = "{namespace}-{type}-{time}" });
        var same = results.Where(r => r.PersistentVolumeClaim is "data-db-0" or "uploads").ToList();
        Assert.Equal(2, same.Count);
        Assert.All(same, r =>
        {
            Assert.Equal(SnapshotOutcome.Failed, r.Status);
            Assert.Equal(ErrorIds.SnapshotNameInvalid, r.ErrorId);
            Assert.Contains("data-db-0, uploads", r.Message);
        });
        Assert.Null(_emulator.Cluster.Get("snapshot.storage.k8s.io/v1", "VolumeSnapshot", "prod", "prod-daily-20261124-1205"));
    }

    [Theory]
    [InlineData("{pvc}-{date}")]
    [InlineData("{pvc-snap")]
    [InlineData(" ")]
    public async Task A_malformed_name_format_is_refused_before_anything_is_created(string format)
    {
        var client = Client();
        var e = await Assert.ThrowsAsync<KbException>(() => new SnapshotTaker(client).PlanAsync([], Request() with { NameFormat = format }, default));
        Assert.Equal(ErrorIds.SnapshotNameInvalid, e.ErrorId);
    }

    [Fact]
    public async Task A_cluster_without_the_snapshot_crds_is_one_clear_error()
    {
        await using var bare = await EmulatorServer.StartAsync(new EmulatorOptions { InstallSnapshotCrds = false });
        using var client = new VolumeSnapshotClient(ClusterTestKit.Connect(bare));
        var e = await Assert.ThrowsAsync<KbException>(() => client.EnsureSnapshotApiAsync("bare", default));
        Assert.Equal(ErrorIds.SnapshotApiMissing, e.ErrorId);
        Assert.Equal(KbErrorCategory.ResourceUnavailable, e.Category);
        await Client().EnsureSnapshotApiAsync("emulator", default);
    }

    [Fact]
    public async Task Snapshots_are_listed_with_state_size_and_source_and_deleted()
    {
        await TakeAsync(Request());
        var client = Client();
        var listed = await client.ListSnapshotsAsync(null, "backup-type=daily", default);
        Assert.Equal(2, listed.Count);
        Assert.All(listed, s => Assert.Equal("Ready", s.State));
        Assert.Contains(listed, s => s.SourcePvc == "uploads" && s.RestoreSize == "1Gi" && s.ContentName is not null);
        Assert.True(await client.DeleteSnapshotAsync("prod", listed[0].Name, default));
        Assert.False(await client.DeleteSnapshotAsync("prod", "no-such-snapshot", default));
        Assert.Single(await client.ListSnapshotsAsync(["prod"], "backup-type=daily", default), s => !s.IsTerminating);
    }
}
