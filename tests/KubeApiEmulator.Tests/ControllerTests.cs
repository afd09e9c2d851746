using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KubeApiEmulator.Tests;

public sealed class ControllerTests
{
    private static JsonNode Node(object o) => JsonNode.Parse(JsonSerializer.Serialize(o))!;

    private static JsonObject Snapshot(string name, string pvc) => new()
    {
        ["apiVersion"] = "snapshot.storage.k8s.io/v1",
        ["kind"] = "VolumeSnapshot",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["source"] = new JsonObject { ["persistentVolumeClaimName"] = pvc } },
    };

    private static async Task<JsonNode> ReadSnapshot(TestCluster c, string name) =>
        Node(await c.Client.CustomObjects.GetNamespacedCustomObjectAsync("snapshot.storage.k8s.io", "v1", "default", "volumesnapshots", name));

    [Fact]
    public async Task Deployment_status_follows_replicas_after_the_delay()
    {
        await using var c = await TestCluster.StartAsync(o => o.Controllers.WorkloadReadyDelay = TimeSpan.FromMilliseconds(1000));
        await c.Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web", 3), "default");
        var early = await c.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
        Assert.Null(early.Status?.ReadyReplicas);
        await TestCluster.Eventually(async () =>
        {
            var d = await c.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
            return d.Status?.ReadyReplicas == 3 && d.Status.AvailableReplicas == 3 && d.Status.UpdatedReplicas == 3 && d.Status.ObservedGeneration == 1;
        }, "deployment ready");
        await c.Client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "web", "default");
        await TestCluster.Eventually(async () =>
        {
            var d = await c.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
            return d.Status?.ReadyReplicas == 1 && d.Status.ObservedGeneration == 2
                && d.Status.Conditions.Any(x => x.Type == "Available" && x.Status == "True");
        }, "scaled deployment ready");
    }

    [Fact]
    public async Task Workloads_can_be_never_ready_and_switched_at_run_time()
    {
        await using var c = await TestCluster.StartAsync(o => o.Controllers.WorkloadsNeverReady = true);
        var sts = new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "db" },
            Spec = new V1StatefulSetSpec
            {
                Replicas = 2,
                ServiceName = "db",
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "db" } },
                Template = Workloads.Deployment("db").Spec.Template,
            },
        };
        await c.Client.AppsV1.CreateNamespacedStatefulSetAsync(sts, "default");
        await TestCluster.Eventually(async () => (await c.Client.AppsV1.ReadNamespacedStatefulSetAsync("db", "default")).Status?.ObservedGeneration == 1, "observed");
        await Task.Delay(100);
        Assert.Null((await c.Client.AppsV1.ReadNamespacedStatefulSetAsync("db", "default")).Status.ReadyReplicas);
        c.Server.Controllers.WorkloadsNeverReady = false;
        await TestCluster.Eventually(async () => (await c.Client.AppsV1.ReadNamespacedStatefulSetAsync("db", "default")).Status?.ReadyReplicas == 2, "ready after switch");
    }

    private static V1StatefulSet StatefulSet(string name, int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = name,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = Workloads.Deployment(name).Spec.Template,
        },
    };

    [Fact]
    public async Task Workloads_named_never_ready_stay_unready_while_the_others_become_ready()
    {
        await using var c = await TestCluster.StartAsync(o => o.Controllers.WorkloadReadyDelay = TimeSpan.FromMilliseconds(100));
        c.Server.Controllers.WorkloadsNeverReadyByName["default/stuck"] = true;
        c.Server.Controllers.WorkloadsNeverReadyByName["default/db"] = true;
        await c.Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web", 2), "default");
        await c.Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("stuck", 2), "default");
        await c.Client.AppsV1.CreateNamespacedStatefulSetAsync(StatefulSet("db", 2), "default");

        await TestCluster.Eventually(async () => (await c.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default")).Status?.ReadyReplicas == 2, "web ready");
        await TestCluster.Eventually(async () => (await c.Client.AppsV1.ReadNamespacedDeploymentAsync("stuck", "default")).Status?.ObservedGeneration == 1, "stuck observed");
        await TestCluster.Eventually(async () => (await c.Client.AppsV1.ReadNamespacedStatefulSetAsync("db", "default")).Status?.ObservedGeneration == 1, "db observed");
        await Task.Delay(250);
        var stuck = await c.Client.AppsV1.ReadNamespacedDeploymentAsync("stuck", "default");
        Assert.Null(stuck.Status.ReadyReplicas);
        Assert.Null(stuck.Status.AvailableReplicas);
        Assert.Equal(2, stuck.Status.UnavailableReplicas);
        Assert.Contains(stuck.Status.Conditions, x => x.Type == "Available" && x.Status == "False" && x.Reason == "MinimumReplicasUnavailable");
        var db = await c.Client.AppsV1.ReadNamespacedStatefulSetAsync("db", "default");
        Assert.Equal(2, db.Status.Replicas);
        Assert.Null(db.Status.ReadyReplicas);
        Assert.Null(db.Status.AvailableReplicas);
        var web = await c.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
        Assert.Contains(web.Status.Conditions, x => x.Type == "Available" && x.Status == "True");
    }

    [Fact]
    public async Task A_workload_key_ending_in_a_star_keeps_every_workload_it_prefixes_unready()
    {
        await using var c = await TestCluster.StartAsync();
        c.Server.Controllers.WorkloadsNeverReadyByName["default/stuck-*"] = true;
        foreach (var name in new[] { "stuck-1", "stuck-2", "stuck" })
            await c.Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment(name, 1), "default");

        await TestCluster.Eventually(async () => (await c.Client.AppsV1.ReadNamespacedDeploymentAsync("stuck", "default")).Status?.ReadyReplicas == 1, "stuck (not prefixed) ready");
        foreach (var name in new[] { "stuck-1", "stuck-2" })
            await TestCluster.Eventually(async () => (await c.Client.AppsV1.ReadNamespacedDeploymentAsync(name, "default")).Status?.ObservedGeneration == 1, name + " observed");
        await Task.Delay(150);
        foreach (var name in new[] { "stuck-1", "stuck-2" })
            Assert.Null((await c.Client.AppsV1.ReadNamespacedDeploymentAsync(name, "default")).Status.ReadyReplicas);
    }

    [Fact]
    public async Task A_scaled_workload_named_never_ready_keeps_no_ready_replicas()
    {
        await using var c = await TestCluster.StartAsync();
        c.Server.Controllers.WorkloadsNeverReadyByName["default/web"] = true;
        await c.Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web", 1), "default");
        await TestCluster.Eventually(async () => (await c.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default")).Status?.ObservedGeneration == 1, "observed");
        await c.Client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":4}}""", V1Patch.PatchType.MergePatch), "web", "default");
        await TestCluster.Eventually(async () =>
        {
            var d = await c.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
            return d.Status?.ObservedGeneration == 2 && d.Status.Replicas == 4;
        }, "scale observed");
        await Task.Delay(150);
        var web = await c.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "default");
        Assert.Null(web.Status.ReadyReplicas);
        Assert.Null(web.Status.AvailableReplicas);
        Assert.Equal(4, web.Status.UnavailableReplicas);
    }

    [Fact]
    public async Task Claims_are_provisioned_and_bound()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Workloads.Claim("data", "5Gi"), "default");
        await TestCluster.Eventually(async () => (await c.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("data", "default")).Status?.Phase == "Bound", "bound");
        var pvc = await c.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("data", "default");
        var pv = await c.Client.CoreV1.ReadPersistentVolumeAsync(pvc.Spec.VolumeName);
        Assert.Equal("Bound", pv.Status.Phase);
        Assert.Equal(pvc.Metadata.Uid, pv.Spec.ClaimRef.Uid);
        Assert.Equal("5Gi", pv.Spec.Capacity["storage"].ToString());
        Assert.Equal("5Gi", pvc.Status.Capacity["storage"].ToString());
        Assert.Equal("Delete", pv.Spec.PersistentVolumeReclaimPolicy);

        await c.Client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync("data", "default");
        await TestCluster.Eventually(async () => (await c.Client.CoreV1.ListPersistentVolumeAsync()).Items.Count == 0, "volume reclaimed");
    }

    [Fact]
    public async Task A_claim_binds_to_a_matching_available_volume()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.CoreV1.CreatePersistentVolumeAsync(new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta { Name = "static" },
            Spec = new V1PersistentVolumeSpec
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new ResourceQuantity("10Gi") },
                AccessModes = ["ReadWriteOnce"],
                StorageClassName = "",
                HostPath = new V1HostPathVolumeSource { Path = "/data" },
            },
        });
        await TestCluster.Eventually(async () => (await c.Client.CoreV1.ReadPersistentVolumeAsync("static")).Status?.Phase == "Available", "available");
        await c.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Workloads.Claim("claim", "2Gi", ""), "default");
        await TestCluster.Eventually(async () => (await c.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("claim", "default")).Spec.VolumeName == "static", "bound to static");
        Assert.Equal("Retain", (await c.Client.CoreV1.ReadPersistentVolumeAsync("static")).Spec.PersistentVolumeReclaimPolicy);
    }

    [Fact]
    public async Task Snapshots_become_ready_with_content_and_restore_into_a_claim()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Workloads.Claim("src", "3Gi"), "default");
        await c.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Snapshot("snap", "src"), "snapshot.storage.k8s.io", "v1", "default", "volumesnapshots");
        await TestCluster.Eventually(async () => (bool?)(await ReadSnapshot(c, "snap"))["status"]?["readyToUse"] == true, "snapshot ready");
        var snap = await ReadSnapshot(c, "snap");
        Assert.Equal("3Gi", (string?)snap["status"]!["restoreSize"]);
        Assert.Equal("csi-hostpath-snapclass", (string?)snap["spec"]!["volumeSnapshotClassName"]);
        var contentName = (string)snap["status"]!["boundVolumeSnapshotContentName"]!;
        var content = Node(await c.Client.CustomObjects.GetClusterCustomObjectAsync("snapshot.storage.k8s.io", "v1", "volumesnapshotcontents", contentName));
        Assert.True((bool)content["status"]!["readyToUse"]!);
        Assert.Equal((string?)snap["metadata"]!["uid"], (string?)content["spec"]!["volumeSnapshotRef"]!["uid"]);

        var restore = Workloads.Claim("restored", "3Gi");
        restore.Spec.DataSource = new V1TypedLocalObjectReference { ApiGroup = "snapshot.storage.k8s.io", Kind = "VolumeSnapshot", Name = "snap" };
        await c.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(restore, "default");
        await TestCluster.Eventually(async () => (await c.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("restored", "default")).Status?.Phase == "Bound", "restored claim bound");

        await c.Client.CustomObjects.DeleteNamespacedCustomObjectAsync("snapshot.storage.k8s.io", "v1", "default", "volumesnapshots", "snap");
        await TestCluster.Eventually(async () =>
            Node(await c.Client.CustomObjects.ListClusterCustomObjectAsync("snapshot.storage.k8s.io", "v1", "volumesnapshotcontents"))["items"]!.AsArray().Count == 0,
            "content deleted");
    }

    [Fact]
    public async Task A_snapshot_can_be_made_to_fail_or_never_become_ready()
    {
        await using var c = await TestCluster.StartAsync();
        c.Server.Controllers.SnapshotErrors["default/broken"] = "driver exploded";
        c.Server.Controllers.SnapshotsNeverReadyByName["default/stuck"] = true;
        await c.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Workloads.Claim("src"), "default");
        await c.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Snapshot("broken", "src"), "snapshot.storage.k8s.io", "v1", "default", "volumesnapshots");
        await c.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Snapshot("stuck", "src"), "snapshot.storage.k8s.io", "v1", "default", "volumesnapshots");
        await TestCluster.Eventually(async () => (string?)(await ReadSnapshot(c, "broken"))["status"]?["error"]?["message"] == "driver exploded", "error reported");
        Assert.False((bool)(await ReadSnapshot(c, "broken"))["status"]!["readyToUse"]!);
        await TestCluster.Eventually(async () => (await ReadSnapshot(c, "stuck"))["status"]?["boundVolumeSnapshotContentName"] is not null, "stuck bound");
        await Task.Delay(150);
        Assert.False((bool)(await ReadSnapshot(c, "stuck"))["status"]!["readyToUse"]!);
    }

    [Fact]
    public async Task A_key_ending_in_a_star_makes_every_snapshot_it_prefixes_fail_and_leaves_the_others_ready()
    {
        await using var c = await TestCluster.StartAsync();
        c.Server.Controllers.SnapshotErrors["default/data-db-0-snap-*"] = "driver exploded";
        c.Server.Controllers.SnapshotErrors["default/data-db-0-snap-20260101-*"] = "the longer prefix wins";
        c.Server.Controllers.SnapshotsNeverReadyByName["default/stuck-*"] = true;
        await c.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Workloads.Claim("src"), "default");
        foreach (var name in new[] { "data-db-0-snap-20261124-0600", "data-db-0-snap-20260101-0000", "data-db-1-snap-20261124-0600", "data-db-0-snap", "stuck-1" })
            await c.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Snapshot(name, "src"), "snapshot.storage.k8s.io", "v1", "default", "volumesnapshots");

        await TestCluster.Eventually(async () => (string?)(await ReadSnapshot(c, "data-db-0-snap-20261124-0600"))["status"]?["error"]?["message"] == "driver exploded", "prefix error");
        await TestCluster.Eventually(async () => (string?)(await ReadSnapshot(c, "data-db-0-snap-20260101-0000"))["status"]?["error"]?["message"] == "the longer prefix wins", "longest prefix");
        foreach (var other in new[] { "data-db-1-snap-20261124-0600", "data-db-0-snap" })
        {
            await TestCluster.Eventually(async () => (bool?)(await ReadSnapshot(c, other))["status"]?["readyToUse"] == true, other + " ready");
            Assert.Null((await ReadSnapshot(c, other))["status"]!["error"]);
        }
        await TestCluster.Eventually(async () => (await ReadSnapshot(c, "stuck-1"))["status"]?["boundVolumeSnapshotContentName"] is not null, "stuck bound");
        await Task.Delay(150);
        Assert.False((bool)(await ReadSnapshot(c, "stuck-1"))["status"]!["readyToUse"]!);
    }

    [Fact]
    public async Task With_controllers_off_nothing_changes_by_itself()
    {
        await using var c = await TestCluster.StartAsync(o => o.Controllers.SetAll(false));
        await c.Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("idle"), "default");
        await c.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Workloads.Claim("idle"), "default");
        await Task.Delay(200);
        Assert.Null((await c.Client.AppsV1.ReadNamespacedDeploymentAsync("idle", "default")).Status?.ReadyReplicas);
        Assert.Equal("Pending", (await c.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("idle", "default")).Status.Phase);
        c.Server.Controllers.VolumeBinding = true;
        await TestCluster.Eventually(async () => (await c.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("idle", "default")).Status?.Phase == "Bound", "bound after switch on");
    }

    [Fact]
    public async Task Pods_are_scheduled_and_become_running_and_ready()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "db-0", Labels = new Dictionary<string, string> { ["app"] = "db" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "postgres", Image = "postgres:16" }] },
        }, "default");
        await TestCluster.Eventually(async () => (await c.Client.CoreV1.ReadNamespacedPodAsync("db-0", "default")).Status?.Phase == "Running", "pod running");
        var pod = await c.Client.CoreV1.ReadNamespacedPodAsync("db-0", "default");
        Assert.Equal("emulator-control-plane", pod.Spec.NodeName);
        Assert.Contains(pod.Status.Conditions, x => x.Type == "Ready" && x.Status == "True");
        Assert.True(Assert.Single(pod.Status.ContainerStatuses).Ready);
        Assert.False(string.IsNullOrEmpty(pod.Status.PodIP));
    }

    [Fact]
    public async Task A_pre_provisioned_snapshot_content_binds_for_a_restore()
    {
        await using var c = await TestCluster.StartAsync();
        var content = new JsonObject
        {
            ["apiVersion"] = "snapshot.storage.k8s.io/v1",
            ["kind"] = "VolumeSnapshotContent",
            ["metadata"] = new JsonObject { ["name"] = "imported" },
            ["spec"] = new JsonObject
            {
                ["deletionPolicy"] = "Retain",
                ["driver"] = "hostpath.csi.k8s.io",
                ["source"] = new JsonObject { ["snapshotHandle"] = "handle-123" },
                ["volumeSnapshotRef"] = new JsonObject { ["name"] = "restored-snap", ["namespace"] = "default" },
            },
        };
        await c.Client.CustomObjects.CreateClusterCustomObjectAsync(content, "snapshot.storage.k8s.io", "v1", "volumesnapshotcontents");
        var snapshot = new JsonObject
        {
            ["apiVersion"] = "snapshot.storage.k8s.io/v1",
            ["kind"] = "VolumeSnapshot",
            ["metadata"] = new JsonObject { ["name"] = "restored-snap" },
            ["spec"] = new JsonObject { ["source"] = new JsonObject { ["volumeSnapshotContentName"] = "imported" } },
        };
        await c.Client.CustomObjects.CreateNamespacedCustomObjectAsync(snapshot, "snapshot.storage.k8s.io", "v1", "default", "volumesnapshots");
        await TestCluster.Eventually(async () => (bool?)(await ReadSnapshot(c, "restored-snap"))["status"]?["readyToUse"] == true, "imported snapshot ready");
        Assert.Equal("imported", (string?)(await ReadSnapshot(c, "restored-snap"))["status"]!["boundVolumeSnapshotContentName"]);
        var claim = Workloads.Claim("from-import", "2Gi");
        claim.Spec.DataSource = new V1TypedLocalObjectReference { ApiGroup = "snapshot.storage.k8s.io", Kind = "VolumeSnapshot", Name = "restored-snap" };
        await c.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(claim, "default");
        await TestCluster.Eventually(async () => (await c.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("from-import", "default")).Status?.Phase == "Bound", "claim from imported snapshot bound");
    }

    [Fact]
    public async Task Jobs_start_and_complete_unless_suspended()
    {
        await using var c = await TestCluster.StartAsync();
        V1Job Job(string name, bool suspend) => new()
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1JobSpec
            {
                Suspend = suspend,
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "c", Image = "busybox:1.36" }] },
                },
            },
        };
        await c.Client.BatchV1.CreateNamespacedJobAsync(Job("runs", false), "default");
        await c.Client.BatchV1.CreateNamespacedJobAsync(Job("paused", true), "default");
        await TestCluster.Eventually(async () =>
        {
            var job = await c.Client.BatchV1.ReadNamespacedJobAsync("runs", "default");
            return job.Status?.Succeeded == 1 && job.Status.CompletionTime is not null
                && job.Status.Conditions.Any(x => x.Type == "Complete" && x.Status == "True");
        }, "job complete");
        Assert.Null((await c.Client.BatchV1.ReadNamespacedJobAsync("paused", "default")).Status?.StartTime);
    }
}
