using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KubeApiEmulator.Tests;

public sealed class ListTests
{
    private static async Task Seed(TestCluster c, string ns, int count)
    {
        if (ns != "default")
            await c.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        for (var i = 0; i < count; i++)
        {
            await c.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
            {
                Metadata = new V1ObjectMeta
                {
                    Name = $"cm-{i:D3}",
                    Labels = new Dictionary<string, string>
                    {
                        ["parity"] = i % 2 == 0 ? "even" : "odd",
                        ["tier"] = (i % 3) switch { 0 => "web", 1 => "db", _ => "cache" },
                        ["seeded"] = "yes",
                    },
                },
            }, ns);
        }
    }

    [Fact]
    public async Task Lists_have_list_kind_api_version_and_resource_version()
    {
        await using var c = await TestCluster.StartAsync();
        await Seed(c, "default", 3);
        var list = await c.Client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "seeded");
        Assert.Equal("ConfigMapList", list.Kind);
        Assert.Equal("v1", list.ApiVersion);
        Assert.False(string.IsNullOrEmpty(list.Metadata.ResourceVersion));
        Assert.Equal(["cm-000", "cm-001", "cm-002"], list.Items.Select(i => i.Metadata.Name));
        var apps = await c.Client.AppsV1.ListDeploymentForAllNamespacesAsync();
        Assert.Equal("DeploymentList", apps.Kind);
        Assert.Equal("apps/v1", apps.ApiVersion);
    }

    [Theory]
    [InlineData("parity=even", 5)]
    [InlineData("parity==odd", 5)]
    [InlineData("parity!=even", 5)]
    [InlineData("tier in (web,db)", 7)]
    [InlineData("tier notin (web,db)", 3)]
    [InlineData("tier", 10)]
    [InlineData("!tier", 0)]
    [InlineData("parity=even,tier=web", 2)]
    [InlineData("missing!=x,seeded", 10)]
    public async Task Label_selectors_filter_like_the_real_server(string selector, int expected)
    {
        await using var c = await TestCluster.StartAsync();
        await Seed(c, "sel", 10);
        var list = await c.Client.CoreV1.ListNamespacedConfigMapAsync("sel", labelSelector: selector);
        Assert.Equal(expected, list.Items.Count(i => i.Metadata.Name.StartsWith("cm-")));
    }

    [Fact]
    public async Task Field_selectors_on_name_and_namespace()
    {
        await using var c = await TestCluster.StartAsync();
        await Seed(c, "fa", 3);
        await Seed(c, "fb", 3);
        var byName = await c.Client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: "metadata.name=cm-001");
        Assert.Equal(["fa", "fb"], byName.Items.Select(i => i.Metadata.NamespaceProperty));
        var notIn = await c.Client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: "metadata.namespace!=fa,metadata.name==cm-002");
        Assert.Equal("fb", Assert.Single(notIn.Items).Metadata.NamespaceProperty);
        var (code, status) = await TestCluster.FailureOf(() => c.Client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: "spec.nope=1"));
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Contains("field label not supported: spec.nope", (string?)status["message"]);
    }

    [Fact]
    public async Task Paging_returns_every_object_once_over_a_consistent_snapshot()
    {
        await using var c = await TestCluster.StartAsync();
        await Seed(c, "page", 25);
        var names = new List<string>();
        string? next = null;
        string? firstRv = null;
        var pages = 0;
        do
        {
            var page = await c.Client.CoreV1.ListNamespacedConfigMapAsync("page", limit: 10, continueParameter: next, labelSelector: pages == 0 ? null : null);
            firstRv ??= page.Metadata.ResourceVersion;
            Assert.Equal(firstRv, page.Metadata.ResourceVersion);
            names.AddRange(page.Items.Select(i => i.Metadata.Name));
            next = page.Metadata.ContinueProperty;
            if (pages == 0)
            {
                Assert.Equal(16, page.Metadata.RemainingItemCount);
                await c.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "zz-late" } }, "page");
                await c.Client.CoreV1.DeleteNamespacedConfigMapAsync("cm-024", "page");
            }
            pages++;
        }
        while (!string.IsNullOrEmpty(next));
        Assert.Equal(3, pages);
        Assert.Equal(26, names.Count);
        Assert.Contains("cm-024", names);
        Assert.DoesNotContain("zz-late", names);
        Assert.Equal(names.Distinct().Count(), names.Count);
    }

    [Fact]
    public async Task An_expired_continue_token_is_410_gone()
    {
        await using var c = await TestCluster.StartAsync(o => o.CompactionWindow = TimeSpan.FromMilliseconds(200));
        await Seed(c, "exp", 5);
        var first = await c.Client.CoreV1.ListNamespacedConfigMapAsync("exp", limit: 2);
        Assert.NotNull(first.Metadata.ContinueProperty);
        await Task.Delay(400);
        var (code, status) = await TestCluster.FailureOf(() =>
            c.Client.CoreV1.ListNamespacedConfigMapAsync("exp", limit: 2, continueParameter: first.Metadata.ContinueProperty));
        Assert.Equal(HttpStatusCode.Gone, code);
        Assert.Equal("Expired", (string?)status["reason"]);
        Assert.StartsWith("The provided continue parameter is too old", (string?)status["message"]);
    }

    [Fact]
    public async Task Table_responses_are_served_when_asked_for()
    {
        await using var c = await TestCluster.StartAsync();
        await Seed(c, "tab", 2);
        using var http = new HttpClient { BaseAddress = c.Server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/tab/configmaps?limit=500");
        request.Headers.Accept.ParseAdd("application/json;as=Table;v=v1;g=meta.k8s.io");
        request.Headers.Accept.ParseAdd("application/json");
        var table = JsonNode.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync())!;
        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)table["apiVersion"]);
        var columns = table["columnDefinitions"]!.AsArray().Select(x => (string?)x!["name"]).ToList();
        Assert.Equal(["Name", "Data", "Age"], columns);
        var row = table["rows"]![0]!;
        Assert.Equal("cm-000", (string?)row["cells"]![0]);
        Assert.Equal("PartialObjectMetadata", (string?)row["object"]!["kind"]);
        Assert.Equal("cm-000", (string?)row["object"]!["metadata"]!["name"]);
    }

    [Fact]
    public async Task Watch_streams_current_objects_then_changes()
    {
        await using var c = await TestCluster.StartAsync();
        await Seed(c, "w", 1);
        using var http = new HttpClient { BaseAddress = c.Server.Url };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var response = await http.GetAsync("/api/v1/namespaces/w/configmaps?watch=true&timeoutSeconds=5&labelSelector=seeded",
            HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var first = JsonNode.Parse((await reader.ReadLineAsync(cts.Token))!)!;
        Assert.Equal("ADDED", (string?)first["type"]);
        Assert.Equal("cm-000", (string?)first["object"]!["metadata"]!["name"]);
        await c.Client.CoreV1.DeleteNamespacedConfigMapAsync("cm-000", "w", cancellationToken: cts.Token);
        var second = JsonNode.Parse((await reader.ReadLineAsync(cts.Token))!)!;
        Assert.Equal("DELETED", (string?)second["type"]);
    }

    [Fact]
    public async Task Watch_from_a_compacted_resource_version_reports_410()
    {
        await using var c = await TestCluster.StartAsync();
        for (var i = 0; i < 20_100; i++)
            c.Server.Store.Write("/configmaps", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "churn", ["namespace"] = "default" } }, Storage.WriteMode.Upsert);
        using var http = new HttpClient { BaseAddress = c.Server.Url };
        var body = await http.GetStringAsync("/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=2&timeoutSeconds=1");
        var line = JsonNode.Parse(body.Split('\n')[0])!;
        Assert.Equal("ERROR", (string?)line["type"]);
        Assert.Equal(410, (int)line["object"]!["code"]!);
    }

    [Fact]
    public async Task Metadata_only_lists_and_gets_are_served()
    {
        await using var c = await TestCluster.StartAsync();
        await Seed(c, "meta", 3);
        using var http = new HttpClient { BaseAddress = c.Server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/meta/configmaps?labelSelector=seeded&limit=2");
        request.Headers.Accept.ParseAdd("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1");
        var list = JsonNode.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync())!;
        Assert.Equal("PartialObjectMetadataList", (string?)list["kind"]);
        Assert.Equal(2, list["items"]!.AsArray().Count);
        Assert.Null(list["items"]![0]!["data"]);
        Assert.Equal("cm-000", (string?)list["items"]![0]!["metadata"]!["name"]);
        Assert.NotNull(list["metadata"]!["continue"]);

        using var single = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/meta/configmaps/cm-001");
        single.Headers.Accept.ParseAdd("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1");
        var item = JsonNode.Parse(await (await http.SendAsync(single)).Content.ReadAsStringAsync())!;
        Assert.Equal("PartialObjectMetadata", (string?)item["kind"]);
        Assert.Equal("cm-001", (string?)item["metadata"]!["name"]);
    }

    [Fact]
    public async Task Watching_one_object_by_name_sees_only_that_object()
    {
        await using var c = await TestCluster.StartAsync();
        await Seed(c, "wn", 2);
        using var http = new HttpClient { BaseAddress = c.Server.Url };
        var body = await http.GetStringAsync("/api/v1/namespaces/wn/configmaps/cm-001?watch=true&timeoutSeconds=1");
        var events = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["cm-001"], events.Select(e => (string?)e["object"]!["metadata"]!["name"]));
    }

    [Fact]
    public async Task An_object_leaving_a_watched_selector_is_reported_deleted()
    {
        await using var c = await TestCluster.StartAsync();
        await Seed(c, "leave", 1);
        var before = (await c.Client.CoreV1.ListNamespacedConfigMapAsync("leave")).Metadata.ResourceVersion;
        await c.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"parity":"odd"}}}""", V1Patch.PatchType.MergePatch), "cm-000", "leave");
        await c.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"parity":"even"}}}""", V1Patch.PatchType.MergePatch), "cm-000", "leave");
        using var http = new HttpClient { BaseAddress = c.Server.Url };
        var body = await http.GetStringAsync($"/api/v1/namespaces/leave/configmaps?watch=1&labelSelector=parity%3Deven&resourceVersion={before}&timeoutSeconds=1");
        var types = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (string?)JsonNode.Parse(l)!["type"]).ToList();
        Assert.Equal(["DELETED", "ADDED"], types);
    }
}
