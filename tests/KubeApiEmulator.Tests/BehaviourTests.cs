using System.Net;
using k8s;
using k8s.Models;

namespace KubeApiEmulator.Tests;

/// <summary>Allocation, immutable fields and subresources that restores depend on.</summary>
public sealed class BehaviourTests
{
    [Fact]
    public async Task Services_get_cluster_ips_and_a_taken_ip_is_422()
    {
        await using var c = await TestCluster.StartAsync();
        var a = await c.Client.CoreV1.CreateNamespacedServiceAsync(Workloads.Service("a"), "default");
        Assert.StartsWith("10.9", a.Spec.ClusterIP);
        Assert.Equal([a.Spec.ClusterIP], a.Spec.ClusterIPs);
        Assert.Equal("TCP", a.Spec.Ports[0].Protocol);
        Assert.Equal("80", a.Spec.Ports[0].TargetPort.Value);

        var fixedIp = await c.Client.CoreV1.CreateNamespacedServiceAsync(Workloads.Service("b", "10.96.100.100"), "default");
        Assert.Equal("10.96.100.100", fixedIp.Spec.ClusterIP);
        var (code, status) = await TestCluster.FailureOf(() => c.Client.CoreV1.CreateNamespacedServiceAsync(Workloads.Service("c", "10.96.100.100"), "default"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Contains("provided IP is already allocated", (string?)status["message"]);

        var headless = await c.Client.CoreV1.CreateNamespacedServiceAsync(Workloads.Service("h", "None"), "default");
        Assert.Equal("None", headless.Spec.ClusterIP);

        await c.Client.CoreV1.DeleteNamespacedServiceAsync("b", "default");
        var reused = await c.Client.CoreV1.CreateNamespacedServiceAsync(Workloads.Service("d", "10.96.100.100"), "default");
        Assert.Equal("10.96.100.100", reused.Spec.ClusterIP);
    }

    [Fact]
    public async Task Node_ports_are_allocated_and_kept_unique()
    {
        await using var c = await TestCluster.StartAsync();
        var np = await c.Client.CoreV1.CreateNamespacedServiceAsync(Workloads.Service("np", type: "NodePort"), "default");
        Assert.InRange(np.Spec.Ports[0].NodePort ?? 0, 30000, 32767);
        var fixedPort = Workloads.Service("np2", type: "NodePort");
        fixedPort.Spec.Ports[0].NodePort = np.Spec.Ports[0].NodePort;
        var (code, status) = await TestCluster.FailureOf(() => c.Client.CoreV1.CreateNamespacedServiceAsync(fixedPort, "default"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Contains("provided port is already allocated", (string?)status["message"]);
    }

    [Fact]
    public async Task Service_cluster_ip_is_immutable_but_kept_when_omitted()
    {
        await using var c = await TestCluster.StartAsync();
        var svc = await c.Client.CoreV1.CreateNamespacedServiceAsync(Workloads.Service("s"), "default");
        var ip = svc.Spec.ClusterIP;
        svc.Spec.ClusterIP = null;
        svc.Spec.ClusterIPs = null;
        svc = await c.Client.CoreV1.ReplaceNamespacedServiceAsync(svc, "s", "default");
        Assert.Equal(ip, svc.Spec.ClusterIP);
        svc.Spec.ClusterIP = "10.96.200.200";
        var (code, status) = await TestCluster.FailureOf(() => c.Client.CoreV1.ReplaceNamespacedServiceAsync(svc, "s", "default"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Contains("field is immutable", (string?)status["message"]);
    }

    [Fact]
    public async Task Pvc_spec_is_immutable_except_requests()
    {
        await using var c = await TestCluster.StartAsync(o => o.Controllers.VolumeBinding = false);
        var pvc = await c.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Workloads.Claim("data"), "default");
        Assert.Equal("standard", pvc.Spec.StorageClassName);
        pvc.Spec.Resources.Requests["storage"] = new ResourceQuantity("2Gi");
        pvc = await c.Client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(pvc, "data", "default");
        pvc.Spec.AccessModes = ["ReadWriteMany"];
        var (code, status) = await TestCluster.FailureOf(() => c.Client.CoreV1.ReplaceNamespacedPersistentVolumeClaimAsync(pvc, "data", "default"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Contains("spec is immutable after creation", (string?)status["message"]);
    }

    [Fact]
    public async Task Jobs_get_a_generated_selector_which_is_immutable()
    {
        await using var c = await TestCluster.StartAsync(o => o.Controllers.Workloads = false);
        var job = new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "once" },
            Spec = new V1JobSpec
            {
                Template = new V1PodTemplateSpec
                {
                    Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "c", Image = "busybox:1.36" }] },
                },
            },
        };
        var created = await c.Client.BatchV1.CreateNamespacedJobAsync(job, "default");
        Assert.Equal(created.Metadata.Uid, created.Spec.Selector.MatchLabels["batch.kubernetes.io/controller-uid"]);
        Assert.Equal("once", created.Spec.Template.Metadata.Labels["job-name"]);
        created.Spec.Selector.MatchLabels["batch.kubernetes.io/controller-uid"] = "other";
        var (code, _) = await TestCluster.FailureOf(() => c.Client.BatchV1.ReplaceNamespacedJobAsync(created, "once", "default"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);

        var restored = new V1Job { Metadata = new V1ObjectMeta { Name = "copy" }, Spec = created.Spec };
        var (restoreCode, restoreStatus) = await TestCluster.FailureOf(() => c.Client.BatchV1.CreateNamespacedJobAsync(restored, "default"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, restoreCode);
        Assert.Contains("`selector` not auto-generated", (string?)restoreStatus["message"]);
    }

    [Fact]
    public async Task Status_subresource_changes_only_status_and_main_writes_ignore_status()
    {
        await using var c = await TestCluster.StartAsync(o => o.Controllers.Workloads = false);
        var d = await c.Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("s"), "default");
        d.Status = new V1DeploymentStatus { Replicas = 7, ReadyReplicas = 7 };
        d.Spec.Replicas = 9;
        var afterStatus = await c.Client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(d, "s", "default");
        Assert.Equal(7, afterStatus.Status.Replicas);
        Assert.Equal(2, afterStatus.Spec.Replicas);

        afterStatus.Status.Replicas = 1;
        var afterMain = await c.Client.AppsV1.ReplaceNamespacedDeploymentAsync(afterStatus, "s", "default");
        Assert.Equal(7, afterMain.Status.Replicas);

        var patched = await c.Client.AppsV1.PatchNamespacedDeploymentStatusAsync(
            new V1Patch("""{"status":{"readyReplicas":3},"spec":{"replicas":4}}""", V1Patch.PatchType.MergePatch), "s", "default");
        Assert.Equal(3, patched.Status.ReadyReplicas);
        Assert.Equal(2, patched.Spec.Replicas);
    }

    [Fact]
    public async Task Scale_subresource_reads_and_changes_replicas()
    {
        await using var c = await TestCluster.StartAsync(o => o.Controllers.Workloads = false);
        await c.Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("sc"), "default");
        var scale = await c.Client.AppsV1.ReadNamespacedDeploymentScaleAsync("sc", "default");
        Assert.Equal("Scale", scale.Kind);
        Assert.Equal("autoscaling/v1", scale.ApiVersion);
        Assert.Equal(2, scale.Spec.Replicas);
        Assert.Equal("app=sc", scale.Status.Selector);
        var patched = await c.Client.AppsV1.PatchNamespacedDeploymentScaleAsync(
            new V1Patch("""{"spec":{"replicas":5}}""", V1Patch.PatchType.MergePatch), "sc", "default");
        Assert.Equal(5, patched.Spec.Replicas);
        var d = await c.Client.AppsV1.ReadNamespacedDeploymentAsync("sc", "default");
        Assert.Equal(5, d.Spec.Replicas);
        Assert.Equal(2, d.Metadata.Generation);

        scale = await c.Client.AppsV1.ReadNamespacedDeploymentScaleAsync("sc", "default");
        scale.Spec.Replicas = 1;
        var replaced = await c.Client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, "sc", "default");
        Assert.Equal(1, replaced.Spec.Replicas);
        var (code, _) = await TestCluster.FailureOf(() => c.Client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, "sc", "default"));
        Assert.Equal(HttpStatusCode.Conflict, code);
    }

    [Fact]
    public async Task Creating_in_a_terminating_namespace_is_forbidden_and_the_namespace_goes_away()
    {
        await using var c = await TestCluster.StartAsync(o => o.Controllers.NamespaceDeletionDelay = TimeSpan.FromMilliseconds(300));
        await c.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "doomed" } });
        await c.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, "doomed");
        var ns = await c.Client.CoreV1.DeleteNamespaceAsync("doomed");
        var terminating = await c.Client.CoreV1.ReadNamespaceAsync("doomed");
        Assert.Equal("Terminating", terminating.Status.Phase);
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        var (code, status) = await TestCluster.FailureOf(() =>
            c.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "late" } }, "doomed"));
        Assert.Equal(HttpStatusCode.Forbidden, code);
        Assert.Equal("Forbidden", (string?)status["reason"]);
        Assert.Contains("because it is being terminated", (string?)status["message"]);
        await TestCluster.Eventually(async () =>
        {
            var all = await c.Client.CoreV1.ListNamespaceAsync();
            return all.Items.All(n => n.Metadata.Name != "doomed");
        }, "namespace removal");
        Assert.DoesNotContain(c.Server.Store.Snapshot("/configmaps").Set, o => o.Namespace == "doomed");
    }

    [Fact]
    public async Task Dependents_are_garbage_collected_unless_orphaned()
    {
        await using var c = await TestCluster.StartAsync(o => o.Controllers.Workloads = false);
        var owner = await c.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, "default");
        V1ConfigMap Dependent(string name) => new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid }],
            },
        };
        await c.Client.CoreV1.CreateNamespacedConfigMapAsync(Dependent("child"), "default");
        await c.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default");
        await TestCluster.Eventually(async () => (await c.Client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "metadata.name=child")).Items.Count == 0, "cascade");

        owner = await c.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, "default");
        await c.Client.CoreV1.CreateNamespacedConfigMapAsync(Dependent("orphan"), "default");
        await c.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "default", propagationPolicy: "Orphan");
        await TestCluster.Eventually(async () => (await c.Client.CoreV1.ReadNamespacedConfigMapAsync("orphan", "default")).Metadata.OwnerReferences is null,
            "owner reference removed from the orphan");
    }

    [Fact]
    public async Task Foreground_deletion_holds_the_owner_until_dependents_are_gone()
    {
        await using var c = await TestCluster.StartAsync();
        var owner = await c.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "fg-owner" } }, "default");
        await c.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = "fg-child",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "fg-owner", Uid = owner.Metadata.Uid, BlockOwnerDeletion = true }],
            },
        }, "default");
        using var http = new HttpClient { BaseAddress = c.Server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/namespaces/default/configmaps/fg-owner")
        {
            Content = new StringContent("""{"propagationPolicy":"Foreground"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        var response = System.Text.Json.Nodes.JsonNode.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync())!;
        Assert.Equal("fg-owner", (string?)response["metadata"]!["name"]);
        Assert.NotNull(response["metadata"]!["deletionTimestamp"]);
        Assert.Contains("foregroundDeletion", response["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f));
        await TestCluster.Eventually(async () =>
            (await c.Client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: null)).Items.All(i => !i.Metadata.Name.StartsWith("fg-")),
            "owner and dependent gone");
    }

    [Fact]
    public async Task A_dependent_whose_owner_does_not_exist_is_collected()
    {
        await using var c = await TestCluster.StartAsync();
        var live = await c.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "live-owner" } }, "default");
        V1ConfigMap Dependent(string name, string ownerName, string uid) => new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = ownerName, Uid = uid }],
            },
        };
        await c.Client.CoreV1.CreateNamespacedConfigMapAsync(Dependent("kept", "live-owner", live.Metadata.Uid), "default");
        await c.Client.CoreV1.CreateNamespacedConfigMapAsync(Dependent("stale-uid", "live-owner", Guid.NewGuid().ToString()), "default");
        await c.Client.CoreV1.CreateNamespacedConfigMapAsync(Dependent("no-owner", "gone", Guid.NewGuid().ToString()), "default");
        await TestCluster.Eventually(async () =>
        {
            var names = (await c.Client.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Select(i => i.Metadata.Name).ToList();
            return !names.Contains("stale-uid") && !names.Contains("no-owner");
        }, "dependents of absent owners collected");
        Assert.NotNull(await c.Client.CoreV1.ReadNamespacedConfigMapAsync("kept", "default"));
    }
}
