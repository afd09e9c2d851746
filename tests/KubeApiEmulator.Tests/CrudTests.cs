using System.Net;
using k8s;
using k8s.Models;

namespace KubeApiEmulator.Tests;

public sealed class CrudTests
{
    private static V1ConfigMap ConfigMap(string name, string ns = "default", IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
        Data = new Dictionary<string, string> { ["k"] = "v" },
    };

    [Fact]
    public async Task Create_assigns_uid_resource_version_and_timestamp_and_get_returns_the_same()
    {
        await using var c = await TestCluster.StartAsync();
        var created = await c.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "default");
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.True(long.Parse(created.Metadata.ResourceVersion) > 0);
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Null(created.Metadata.Generation);
        var read = await c.Client.CoreV1.ReadNamespacedConfigMapAsync("a", "default");
        Assert.Equal(created.Metadata.Uid, read.Metadata.Uid);
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Equal("v", read.Data["k"]);

        var second = await c.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b"), "default");
        Assert.True(long.Parse(second.Metadata.ResourceVersion) > long.Parse(created.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Workloads_get_generation_one_and_a_spec_change_bumps_it()
    {
        await using var c = await TestCluster.StartAsync(o => o.Controllers.Workloads = false);
        var d = await c.Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web"), "default");
        Assert.Equal(1, d.Metadata.Generation);
        d.Metadata.Labels = new Dictionary<string, string> { ["x"] = "y" };
        d = await c.Client.AppsV1.ReplaceNamespacedDeploymentAsync(d, "web", "default");
        Assert.Equal(1, d.Metadata.Generation);
        d.Spec.Replicas = 5;
        d = await c.Client.AppsV1.ReplaceNamespacedDeploymentAsync(d, "web", "default");
        Assert.Equal(2, d.Metadata.Generation);
    }

    [Fact]
    public async Task Generate_name_makes_a_unique_name()
    {
        await using var c = await TestCluster.StartAsync();
        var body = new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "gen-" } };
        var a = await c.Client.CoreV1.CreateNamespacedConfigMapAsync(body, "default");
        var b = await c.Client.CoreV1.CreateNamespacedConfigMapAsync(body, "default");
        Assert.StartsWith("gen-", a.Metadata.Name);
        Assert.Equal(9, a.Metadata.Name.Length);
        Assert.NotEqual(a.Metadata.Name, b.Metadata.Name);
    }

    [Fact]
    public async Task Creating_twice_is_409_already_exists()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("dup"), "default");
        var (code, status) = await TestCluster.FailureOf(() => c.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("dup"), "default"));
        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("AlreadyExists", (string?)status["reason"]);
        Assert.Equal("configmaps \"dup\" already exists", (string?)status["message"]);
        Assert.Equal("dup", (string?)status["details"]!["name"]);
        Assert.Equal("configmaps", (string?)status["details"]!["kind"]);

        await c.Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("d"), "default");
        var (_, appsStatus) = await TestCluster.FailureOf(() => c.Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("d"), "default"));
        Assert.Equal("deployments.apps \"d\" already exists", (string?)appsStatus["message"]);
        Assert.Equal("apps", (string?)appsStatus["details"]!["group"]);
    }

    [Fact]
    public async Task Creating_in_a_missing_namespace_is_404_for_the_namespace()
    {
        await using var c = await TestCluster.StartAsync();
        var (code, status) = await TestCluster.FailureOf(() => c.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("x", "nope"), "nope"));
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("namespaces \"nope\" not found", (string?)status["message"]);
        Assert.Equal("namespaces", (string?)status["details"]!["kind"]);
    }

    [Fact]
    public async Task Invalid_names_are_422_with_the_field_cause()
    {
        await using var c = await TestCluster.StartAsync();
        var (code, status) = await TestCluster.FailureOf(() => c.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("Bad_Name"), "default"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("Invalid", (string?)status["reason"]);
        Assert.StartsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain", (string?)status["message"]);
        Assert.Equal("ConfigMap", (string?)status["details"]!["kind"]);
        Assert.Equal("metadata.name", (string?)status["details"]!["causes"]![0]!["field"]);

        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = "has.dot" } };
        var (nsCode, _) = await TestCluster.FailureOf(() => c.Client.CoreV1.CreateNamespaceAsync(ns));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nsCode);

        var missing = new V1ConfigMap { Metadata = new V1ObjectMeta() };
        var (_, required) = await TestCluster.FailureOf(() => c.Client.CoreV1.CreateNamespacedConfigMapAsync(missing, "default"));
        Assert.Contains("name or generateName is required", (string?)required["message"]);
    }

    [Fact]
    public async Task A_resource_version_on_create_is_rejected()
    {
        await using var c = await TestCluster.StartAsync();
        var body = ConfigMap("rv");
        body.Metadata.ResourceVersion = "12";
        var (code, status) = await TestCluster.FailureOf(() => c.Client.CoreV1.CreateNamespacedConfigMapAsync(body, "default"));
        Assert.Equal(HttpStatusCode.InternalServerError, code);
        Assert.Equal("resourceVersion should not be set on objects to be created", (string?)status["message"]);
    }

    [Fact]
    public async Task Update_with_a_stale_resource_version_is_409_conflict()
    {
        await using var c = await TestCluster.StartAsync();
        var created = await c.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("u"), "default");
        created.Data["k"] = "2";
        var updated = await c.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "u", "default");
        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
        created.Data["k"] = "3";
        var (code, status) = await TestCluster.FailureOf(() => c.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "u", "default"));
        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Conflict", (string?)status["reason"]);
        Assert.Equal("Operation cannot be fulfilled on configmaps \"u\": the object has been modified; please apply your changes to the latest version and try again",
            (string?)status["message"]);
    }

    [Fact]
    public async Task An_unchanged_update_keeps_the_resource_version()
    {
        await using var c = await TestCluster.StartAsync();
        var created = await c.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("same"), "default");
        var again = await c.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "same", "default");
        Assert.Equal(created.Metadata.ResourceVersion, again.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Dry_run_create_stores_nothing()
    {
        await using var c = await TestCluster.StartAsync();
        var result = await c.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("dry"), "default", dryRun: "All");
        Assert.Equal("dry", result.Metadata.Name);
        var (code, _) = await TestCluster.FailureOf(() => c.Client.CoreV1.ReadNamespacedConfigMapAsync("dry", "default"));
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task Get_of_a_missing_object_is_404_status()
    {
        await using var c = await TestCluster.StartAsync();
        var (code, status) = await TestCluster.FailureOf(() => c.Client.AppsV1.ReadNamespacedDeploymentAsync("ghost", "default"));
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("NotFound", (string?)status["reason"]);
        Assert.Equal("deployments.apps \"ghost\" not found", (string?)status["message"]);
        Assert.Equal("ghost", (string?)status["details"]!["name"]);
        Assert.Equal("apps", (string?)status["details"]!["group"]);
        Assert.Equal("deployments", (string?)status["details"]!["kind"]);
    }

    [Fact]
    public async Task Delete_returns_a_status_or_the_object_and_honours_preconditions()
    {
        await using var c = await TestCluster.StartAsync();
        var cm = await c.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("d"), "default");
        var (code, status) = await TestCluster.FailureOf(() => c.Client.CoreV1.DeleteNamespacedConfigMapAsync("d", "default",
            new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = "not-the-uid" } }));
        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Contains("Precondition failed: UID in precondition: not-the-uid", (string?)status["message"]);

        var deleted = await c.Client.CoreV1.DeleteNamespacedConfigMapAsync("d", "default",
            new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = cm.Metadata.Uid } });
        Assert.Equal("Success", deleted.Status);
        Assert.Equal("d", deleted.Details.Name);
        await TestCluster.FailureOf(() => c.Client.CoreV1.ReadNamespacedConfigMapAsync("d", "default"));

        await c.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Workloads.Claim("claim"), "default");
        var claim = await c.Client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync("claim", "default");
        Assert.Equal("claim", claim.Metadata.Name);
    }

    [Fact]
    public async Task Finalizers_hold_deletion_until_removed()
    {
        await using var c = await TestCluster.StartAsync();
        var body = ConfigMap("held");
        body.Metadata.Finalizers = ["example.com/hold"];
        await c.Client.CoreV1.CreateNamespacedConfigMapAsync(body, "default");
        await c.Client.CoreV1.DeleteNamespacedConfigMapAsync("held", "default");
        var held = await c.Client.CoreV1.ReadNamespacedConfigMapAsync("held", "default");
        Assert.NotNull(held.Metadata.DeletionTimestamp);
        held.Metadata.Finalizers = [];
        await c.Client.CoreV1.ReplaceNamespacedConfigMapAsync(held, "held", "default");
        var (code, _) = await TestCluster.FailureOf(() => c.Client.CoreV1.ReadNamespacedConfigMapAsync("held", "default"));
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task Delete_collection_removes_matching_objects_only()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", labels: new Dictionary<string, string> { ["g"] = "1" }), "default");
        await c.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b", labels: new Dictionary<string, string> { ["g"] = "1" }), "default");
        await c.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c", labels: new Dictionary<string, string> { ["g"] = "2" }), "default");
        await c.Client.CoreV1.DeleteCollectionNamespacedConfigMapAsync("default", labelSelector: "g=1");
        var left = await c.Client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "g");
        Assert.Equal(["c"], left.Items.Select(i => i.Metadata.Name));
    }

    [Fact]
    public async Task Cluster_scoped_objects_have_no_namespace()
    {
        await using var c = await TestCluster.StartAsync();
        var pc = await c.Client.SchedulingV1.CreatePriorityClassAsync(new V1PriorityClass { Metadata = new V1ObjectMeta { Name = "high" }, Value = 1000 });
        Assert.Null(pc.Metadata.NamespaceProperty);
        var role = await c.Client.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "system:reader" },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["pods"], Verbs = ["get"] }],
        });
        Assert.Equal("system:reader", role.Metadata.Name);
    }

    [Fact]
    public async Task Events_are_served_by_core_and_events_groups()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "ev1" },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "p", NamespaceProperty = "default" },
            Reason = "Started",
            Message = "started container",
            Type = "Normal",
        }, "default");
        var viaEvents = await c.Client.EventsV1.ReadNamespacedEventAsync("ev1", "default");
        Assert.Equal("started container", viaEvents.Note);
        Assert.Equal("p", viaEvents.Regarding.Name);
        Assert.Equal("events.k8s.io/v1", viaEvents.ApiVersion);
        var list = await c.Client.EventsV1.ListNamespacedEventAsync("default");
        Assert.Single(list.Items);
    }

    [Fact]
    public async Task Invalid_labels_and_annotation_keys_are_422()
    {
        await using var c = await TestCluster.StartAsync();
        var (code, status) = await TestCluster.FailureOf(() => c.Client.CoreV1.CreateNamespacedConfigMapAsync(
            ConfigMap("l", labels: new Dictionary<string, string> { ["ok"] = "has space" }), "default"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Contains("metadata.labels: Invalid value: \"has space\": a valid label must be an empty string", (string?)status["message"]);

        var badKey = ConfigMap("k");
        badKey.Metadata.Annotations = new Dictionary<string, string> { ["a/b/c"] = "1" };
        var (keyCode, keyStatus) = await TestCluster.FailureOf(() => c.Client.CoreV1.CreateNamespacedConfigMapAsync(badKey, "default"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, keyCode);
        Assert.Contains("metadata.annotations", (string?)keyStatus["message"]);

        var fine = ConfigMap("fine", labels: new Dictionary<string, string> { ["app.kubernetes.io/name"] = "web_1.2", ["empty"] = "" });
        await c.Client.CoreV1.CreateNamespacedConfigMapAsync(fine, "default");
    }
}
