using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KubeApiEmulator.Tests;

public sealed class PatchTests
{
    [Fact]
    public async Task Strategic_merge_patch_merges_containers_env_and_ports_by_key()
    {
        await using var c = await TestCluster.StartAsync(o => o.Controllers.Workloads = false);
        await c.Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web"), "default");
        var patch = """
            {"spec":{"template":{"spec":{"containers":[
              {"name":"app","image":"nginx:1.28","env":[{"name":"B","value":"changed"},{"name":"C","value":"3"},{"name":"A","$patch":"delete"}],
               "ports":[{"containerPort":443}]},
              {"name":"sidecar","image":"busybox:1.36"}]}}}}
            """;
        var d = await c.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), "web", "default");
        var containers = d.Spec.Template.Spec.Containers;
        Assert.Equal(["app", "sidecar"], containers.Select(x => x.Name));
        Assert.Equal("nginx:1.28", containers[0].Image);
        Assert.Equal(["B=changed", "C=3"], containers[0].Env.Select(e => $"{e.Name}={e.Value}"));
        Assert.Equal([80, 443], containers[0].Ports.Select(p => p.ContainerPort));
        Assert.Equal(2, d.Metadata.Generation);
    }

    [Fact]
    public async Task Strategic_merge_patch_replace_directive_replaces_the_list()
    {
        await using var c = await TestCluster.StartAsync(o => o.Controllers.Workloads = false);
        await c.Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web"), "default");
        var patch = """{"spec":{"template":{"spec":{"containers":[{"name":"only","image":"x:1"},{"$patch":"replace"}]}}}}""";
        var d = await c.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.StrategicMergePatch), "web", "default");
        Assert.Equal(["only"], d.Spec.Template.Spec.Containers.Select(x => x.Name));
    }

    [Fact]
    public async Task Merge_patch_replaces_lists_and_null_removes()
    {
        await using var c = await TestCluster.StartAsync(o => o.Controllers.Workloads = false);
        await c.Client.AppsV1.CreateNamespacedDeploymentAsync(Workloads.Deployment("web"), "default");
        var patch = """{"metadata":{"labels":{"app":null,"new":"1"}},"spec":{"template":{"spec":{"containers":[{"name":"solo","image":"x:2"}]}}}}""";
        var d = await c.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "web", "default");
        Assert.Equal(["solo"], d.Spec.Template.Spec.Containers.Select(x => x.Name));
        Assert.Equal(new Dictionary<string, string> { ["new"] = "1" }, d.Metadata.Labels);
    }

    [Fact]
    public async Task Json_patch_applies_operations_and_a_failed_test_rejects_the_patch()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "j" },
            Data = new Dictionary<string, string> { ["a"] = "1" },
        }, "default");
        var ops = """[{"op":"test","path":"/data/a","value":"1"},{"op":"add","path":"/data/b","value":"2"},{"op":"replace","path":"/data/a","value":"9"},{"op":"copy","from":"/data/b","path":"/data/c"}]""";
        var cm = await c.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(ops, V1Patch.PatchType.JsonPatch), "j", "default");
        Assert.Equal(new Dictionary<string, string> { ["a"] = "9", ["b"] = "2", ["c"] = "2" }, cm.Data);
        var failing = """[{"op":"test","path":"/data/a","value":"1"},{"op":"remove","path":"/data/a"}]""";
        var (code, _) = await TestCluster.FailureOf(() => c.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(failing, V1Patch.PatchType.JsonPatch), "j", "default"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("9", (await c.Client.CoreV1.ReadNamespacedConfigMapAsync("j", "default")).Data["a"]);
    }

    [Fact]
    public async Task A_patch_with_a_stale_resource_version_conflicts()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "p" } }, "default");
        var patch = """{"metadata":{"resourceVersion":"1"},"data":{"x":"y"}}""";
        var (code, status) = await TestCluster.FailureOf(() => c.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), "p", "default"));
        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Conflict", (string?)status["reason"]);
    }

    [Fact]
    public async Task Server_side_apply_creates_then_updates()
    {
        await using var c = await TestCluster.StartAsync();
        var body = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ssa","namespace":"default"},"data":{"a":"1"}}""";
        var created = await c.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(body, V1Patch.PatchType.ApplyPatch), "ssa", "default", fieldManager: "test", force: true);
        Assert.Equal("1", created.Data["a"]);
        var update = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ssa","namespace":"default"},"data":{"a":"2"}}""";
        var updated = await c.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(update, V1Patch.PatchType.ApplyPatch), "ssa", "default", fieldManager: "test", force: true);
        Assert.Equal("2", updated.Data["a"]);
        Assert.Equal(created.Metadata.Uid, updated.Metadata.Uid);
    }

    [Fact]
    public async Task Strategic_merge_patch_is_unsupported_for_custom_resources()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(CrdTests.WidgetCrd("Namespaced"));
        await c.Client.CustomObjects.CreateNamespacedCustomObjectAsync(CrdTests.Widget("w1"), "example.com", "v1", "default", "widgets");
        var (code, status) = await TestCluster.FailureOf(() => c.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"size":2}}""", V1Patch.PatchType.StrategicMergePatch), "example.com", "v1", "default", "widgets", "w1"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, code);
        Assert.Equal("UnsupportedMediaType", (string?)status["reason"]);
        var merged = await c.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"size":2}}""", V1Patch.PatchType.MergePatch), "example.com", "v1", "default", "widgets", "w1");
        Assert.Equal(2, (int)JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(merged))!["spec"]!["size"]!);
    }

    [Fact]
    public async Task Server_side_apply_removes_fields_the_manager_no_longer_applies()
    {
        await using var c = await TestCluster.StartAsync(o => o.Controllers.Workloads = false);
        async Task<V1Deployment> Apply(string manager, string json) =>
            await c.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(json, V1Patch.PatchType.ApplyPatch), "ssa", "default", fieldManager: manager, force: true);
        const string full = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"ssa","labels":{"a":"1","b":"2"}},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"ssa"}},"template":{"metadata":{"labels":{"app":"ssa"}},
             "spec":{"containers":[{"name":"main","image":"x:1","env":[{"name":"K","value":"v"},{"name":"L","value":"w"}]},{"name":"side","image":"y:1"}]}}}}
            """;
        await Apply("tool", full);
        await c.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"metadata":{"labels":{"other":"kept"}}}""", V1Patch.PatchType.MergePatch), "ssa", "default");
        const string reduced = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"ssa","labels":{"a":"1"}},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"ssa"}},"template":{"metadata":{"labels":{"app":"ssa"}},
             "spec":{"containers":[{"name":"main","image":"x:2","env":[{"name":"K","value":"v"}]}]}}}}
            """;
        var d = await Apply("tool", reduced);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["other"] = "kept" }, d.Metadata.Labels);
        var container = Assert.Single(d.Spec.Template.Spec.Containers);
        Assert.Equal("x:2", container.Image);
        Assert.Equal(["K"], container.Env.Select(e => e.Name));
    }
}
