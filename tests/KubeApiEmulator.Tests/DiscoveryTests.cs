using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using k8s;

namespace KubeApiEmulator.Tests;

public sealed class DiscoveryTests
{
    [Fact]
    public async Task Version_and_core_groups_are_served_to_the_client()
    {
        await using var c = await TestCluster.StartAsync();
        var version = await c.Client.Version.GetCodeAsync();
        Assert.Equal("1", version.Major);
        Assert.Equal("32", version.Minor);

        var core = await c.Client.CoreV1.GetAPIResourcesAsync();
        var pods = core.Resources.Single(r => r.Name == "pods");
        Assert.True(pods.Namespaced);
        Assert.Equal("Pod", pods.Kind);
        Assert.Contains("po", pods.ShortNames);
        Assert.Contains("deletecollection", pods.Verbs);
        Assert.Contains(core.Resources, r => r.Name == "pods/exec");
        Assert.Contains(core.Resources, r => r.Name == "pods/status");
        Assert.False(core.Resources.Single(r => r.Name == "namespaces").Namespaced);

        var apps = await c.Client.AppsV1.GetAPIResourcesAsync();
        var scale = apps.Resources.Single(r => r.Name == "deployments/scale");
        Assert.Equal("Scale", scale.Kind);
        Assert.Equal("autoscaling", scale.Group);

        var groups = await c.Client.Apis.GetAPIVersionsAsync();
        foreach (var g in new[] { "apps", "batch", "rbac.authorization.k8s.io", "networking.k8s.io", "storage.k8s.io", "scheduling.k8s.io",
                     "policy", "events.k8s.io", "coordination.k8s.io", "apiextensions.k8s.io", "snapshot.storage.k8s.io" })
            Assert.Contains(groups.Groups, x => x.Name == g);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/livez")]
    public async Task Health_endpoints_answer_ok(string path)
    {
        await using var c = await TestCluster.StartAsync();
        using var http = new HttpClient { BaseAddress = c.Server.Url };
        Assert.Equal("ok", await http.GetStringAsync(path));
    }

    [Fact]
    public async Task Discovery_paths_accept_trailing_slashes_and_timeouts_and_name_the_group()
    {
        await using var c = await TestCluster.StartAsync();
        using var http = new HttpClient { BaseAddress = c.Server.Url };
        var api = JsonNode.Parse(await http.GetStringAsync("/api/?timeout=32s"))!;
        Assert.Equal("APIVersions", (string?)api["kind"]);
        var group = JsonNode.Parse(await http.GetStringAsync("/apis/apps/"))!;
        Assert.Equal("APIGroup", (string?)group["kind"]);
        Assert.Equal("apps/v1", (string?)group["preferredVersion"]!["groupVersion"]);
        var list = JsonNode.Parse(await http.GetStringAsync("/apis/batch/v1/?timeout=32s"))!;
        Assert.Equal("APIResourceList", (string?)list["kind"]);
        Assert.Equal("batch/v1", (string?)list["groupVersion"]);
        var missing = await http.GetAsync("/apis/nope.example.com/v1");
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Equal("NotFound", (string?)JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["reason"]);
    }

    [Fact]
    public async Task A_wrong_token_is_unauthorized()
    {
        await using var c = await TestCluster.StartAsync();
        using var http = new HttpClient { BaseAddress = c.Server.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        var response = await http.GetAsync("/api/v1/namespaces");
        Assert.Equal(401, (int)response.StatusCode);
    }

    [Fact]
    public async Task Without_snapshot_crds_the_snapshot_group_is_absent()
    {
        await using var c = await TestCluster.StartAsync(o => o.InstallSnapshotCrds = false);
        var groups = await c.Client.Apis.GetAPIVersionsAsync();
        Assert.DoesNotContain(groups.Groups, g => g.Name == "snapshot.storage.k8s.io");
        var crds = await c.Client.ApiextensionsV1.ListCustomResourceDefinitionAsync();
        Assert.Empty(crds.Items);
    }

    [Fact]
    public async Task A_fresh_cluster_has_the_usual_objects()
    {
        await using var c = await TestCluster.StartAsync();
        var namespaces = (await c.Client.CoreV1.ListNamespaceAsync()).Items.Select(n => n.Metadata.Name).ToList();
        Assert.Equal(["default", "kube-node-lease", "kube-public", "kube-system"], namespaces);
        Assert.Single((await c.Client.CoreV1.ListNodeAsync()).Items);
        foreach (var ns in namespaces)
            Assert.NotNull(await c.Client.CoreV1.ReadNamespacedServiceAccountAsync("default", ns));
        var kubernetes = await c.Client.CoreV1.ReadNamespacedServiceAsync("kubernetes", "default");
        Assert.Equal("10.96.0.1", kubernetes.Spec.ClusterIP);
        var classes = await c.Client.StorageV1.ListStorageClassAsync();
        var standard = Assert.Single(classes.Items);
        Assert.Equal("true", standard.Metadata.Annotations["storageclass.kubernetes.io/is-default-class"]);
        Assert.False(string.IsNullOrEmpty(standard.Provisioner));
        var snapshotCrds = (await c.Client.ApiextensionsV1.ListCustomResourceDefinitionAsync()).Items.Select(i => i.Metadata.Name).ToList();
        Assert.Contains("volumesnapshots.snapshot.storage.k8s.io", snapshotCrds);
    }
}
