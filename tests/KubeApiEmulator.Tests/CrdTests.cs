using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KubeApiEmulator.Tests;

public sealed class CrdTests
{
    public static V1CustomResourceDefinition WidgetCrd(string scope) => new()
    {
        Metadata = new V1ObjectMeta { Name = "widgets.example.com" },
        Spec = new V1CustomResourceDefinitionSpec
        {
            Group = "example.com",
            Scope = scope,
            Names = new V1CustomResourceDefinitionNames { Plural = "widgets", Singular = "widget", Kind = "Widget", ShortNames = ["wd"] },
            Versions =
            [
                new V1CustomResourceDefinitionVersion
                {
                    Name = "v1", Served = true, Storage = true,
                    Schema = new V1CustomResourceValidation { OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true } },
                    Subresources = new V1CustomResourceSubresources { Status = new object() },
                },
            ],
        },
    };

    public static JsonObject Widget(string name, int size = 1) => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["w"] = "yes" } },
        ["spec"] = new JsonObject { ["size"] = size },
        ["status"] = new JsonObject { ["ignored"] = true },
    };

    private static JsonNode Node(object o) => JsonNode.Parse(JsonSerializer.Serialize(o))!;

    [Fact]
    public async Task A_crd_becomes_established_and_served()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(WidgetCrd("Namespaced"));
        var crd = await c.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("widgets.example.com");
        Assert.Contains(crd.Status.Conditions, x => x.Type == "Established" && x.Status == "True");
        Assert.Equal(["v1"], crd.Status.StoredVersions);

        using var http = new HttpClient { BaseAddress = c.Server.Url };
        var resources = JsonNode.Parse(await http.GetStringAsync("/apis/example.com/v1"))!;
        var widgets = resources["resources"]!.AsArray().Single(r => (string?)r!["name"] == "widgets")!;
        Assert.True((bool)widgets["namespaced"]!);
        Assert.Equal("Widget", (string?)widgets["kind"]);
        Assert.Contains(resources["resources"]!.AsArray(), r => (string?)r!["name"] == "widgets/status");
        var groups = await c.Client.Apis.GetAPIVersionsAsync();
        Assert.Contains(groups.Groups, g => g.Name == "example.com");
    }

    [Fact]
    public async Task Namespaced_instances_support_every_verb()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(WidgetCrd("Namespaced"));
        var created = Node(await c.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("a"), "example.com", "v1", "default", "widgets"));
        Assert.Equal(1, (int)created["metadata"]!["generation"]!);
        Assert.Null(created["status"]);
        await c.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("b"), "example.com", "v1", "default", "widgets");

        var generic = new GenericClient(c.Client, "example.com", "v1", "widgets");
        var list = Node(await c.Client.CustomObjects.ListNamespacedCustomObjectAsync("example.com", "v1", "default", "widgets", labelSelector: "w=yes"));
        Assert.Equal("WidgetList", (string?)list["kind"]);
        Assert.Equal(2, list["items"]!.AsArray().Count);

        var got = Node(await c.Client.CustomObjects.GetNamespacedCustomObjectAsync("example.com", "v1", "default", "widgets", "a"));
        got["spec"]!["size"] = 5;
        var replaced = Node(await c.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(got, "example.com", "v1", "default", "widgets", "a"));
        Assert.Equal(2, (int)replaced["metadata"]!["generation"]!);

        replaced["status"] = new JsonObject { ["phase"] = "Ready" };
        var status = Node(await c.Client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(replaced, "example.com", "v1", "default", "widgets", "a"));
        Assert.Equal("Ready", (string?)status["status"]!["phase"]);
        Assert.Equal(2, (int)status["metadata"]!["generation"]!);

        await generic.DeleteNamespacedAsync<V1Status>("default", "b");
        var after = Node(await c.Client.CustomObjects.ListNamespacedCustomObjectAsync("example.com", "v1", "default", "widgets"));
        Assert.Single(after["items"]!.AsArray());
    }

    [Fact]
    public async Task Cluster_scoped_instances_work_and_deleting_the_crd_removes_them()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(WidgetCrd("Cluster"));
        await c.Client.CustomObjects.CreateClusterCustomObjectAsync(Widget("global"), "example.com", "v1", "widgets");
        var got = Node(await c.Client.CustomObjects.GetClusterCustomObjectAsync("example.com", "v1", "widgets", "global"));
        Assert.Null(got["metadata"]!["namespace"]);

        await c.Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("widgets.example.com");
        var (code, _) = await TestCluster.FailureOf(() => c.Client.CustomObjects.GetClusterCustomObjectAsync("example.com", "v1", "widgets", "global"));
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Empty(c.Server.Store.Snapshot("example.com/widgets").Set);
        var groups = await c.Client.Apis.GetAPIVersionsAsync();
        Assert.DoesNotContain(groups.Groups, g => g.Name == "example.com");
    }

    [Fact]
    public async Task A_crd_with_a_wrong_name_is_invalid()
    {
        await using var c = await TestCluster.StartAsync();
        var crd = WidgetCrd("Namespaced");
        crd.Metadata.Name = "gadgets.example.com";
        var (code, status) = await TestCluster.FailureOf(() => c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Contains("must be spec.names.plural+\".\"+spec.group", (string?)status["message"]);
    }

    [Fact]
    public async Task A_crd_scale_subresource_uses_its_own_paths()
    {
        await using var c = await TestCluster.StartAsync();
        var crd = WidgetCrd("Namespaced");
        crd.Spec.Versions[0].Subresources.Scale = new V1CustomResourceSubresourceScale
        {
            SpecReplicasPath = ".spec.size",
            StatusReplicasPath = ".status.size",
            LabelSelectorPath = ".status.selector",
        };
        await c.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        await c.Client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget("scaled", size: 2), "example.com", "v1", "default", "widgets");
        using var http = new HttpClient { BaseAddress = c.Server.Url };
        var scale = JsonNode.Parse(await http.GetStringAsync("/apis/example.com/v1/namespaces/default/widgets/scaled/scale"))!;
        Assert.Equal(2, (int)scale["spec"]!["replicas"]!);
        await c.Client.CustomObjects.PatchNamespacedCustomObjectScaleAsync(
            new V1Patch("""{"spec":{"replicas":4}}""", V1Patch.PatchType.MergePatch), "example.com", "v1", "default", "widgets", "scaled");
        var widget = Node(await c.Client.CustomObjects.GetNamespacedCustomObjectAsync("example.com", "v1", "default", "widgets", "scaled"));
        Assert.Equal(4, (int)widget["spec"]!["size"]!);
    }
}
