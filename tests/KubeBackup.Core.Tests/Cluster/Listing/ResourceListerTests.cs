using System.Text.Json.Nodes;
using KubeApiEmulator;
using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Cluster.Listing;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Tests.Cluster.Discovery;
using static KubeBackup.Core.Tests.Cluster.Listing.ListingTestCluster;

namespace KubeBackup.Core.Tests.Cluster.Listing;

/// <summary>Paged listing of one resource type: pages, filters, custom resources, objects being deleted, 403 and 410.</summary>
public sealed class ResourceListerTests
{
    [Fact]
    public async Task PagesThroughEveryObjectInOrderWithItsType()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        CreateNamespace(emulator, "bulk");
        CreateConfigMaps(emulator, "bulk", 2500);
        var pages = 0;
        Observe(emulator, (_, verb, resource) =>
        {
            if (verb == "list" && resource == "configmaps")
            {
                Interlocked.Increment(ref pages);
            }

            return Task.FromResult(false);
        });
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator));

        var items = await lister.ListAsync(ConfigMaps, new ResourceListOptions { Namespace = "bulk", PageSize = 300 }).ToListAsync();

        // 2,500 plus the namespace's kube-root-ca.crt.
        Assert.Equal(2501, items.Count);
        Assert.Equal(9, pages);
        var names = items.Select(i => i["metadata"]!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(2501, names.Distinct().Count());
        Assert.All(items, item =>
        {
            Assert.Equal(["apiVersion", "kind"], item.Select(p => p.Key).Take(2));
            Assert.Equal("v1", item["apiVersion"]!.GetValue<string>());
            Assert.Equal("ConfigMap", item["kind"]!.GetValue<string>());
            Assert.Null(item.Parent);
        });
        Assert.Equal("7", items.Single(i => i["metadata"]!["name"]!.GetValue<string>() == "cm-00007")["data"]!["index"]!.GetValue<string>());
    }

    [Fact]
    public async Task FiltersByNamespaceLabelsAndFields()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        CreateNamespace(emulator, "a");
        CreateNamespace(emulator, "b");
        CreateConfigMaps(emulator, "a", 10, i => new JsonObject { ["tier"] = i % 2 == 0 ? "web" : "db", ["team"] = i < 5 ? "x" : "y" });
        CreateConfigMaps(emulator, "b", 4, _ => new JsonObject { ["tier"] = "web" });
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator));

        async Task<List<string>> Keys(ResourceListOptions options) =>
            (await lister.ListAsync(ConfigMaps, options with { PageSize = 3 }).ToListAsync())
                .Select(i => $"{i["metadata"]!["namespace"]}/{i["metadata"]!["name"]}").ToList();

        Assert.Equal(11, (await Keys(new() { Namespace = "a" })).Count);
        Assert.Equal(9, (await Keys(new() { LabelSelector = "tier=web" })).Count);
        Assert.Equal(["a/cm-00000", "a/cm-00002", "a/cm-00004"], await Keys(new() { Namespace = "a", LabelSelector = "tier=web,team in (x)" }));
        Assert.Equal(["a/cm-00003", "b/cm-00003"], await Keys(new() { FieldSelector = "metadata.name=cm-00003" }));
        Assert.Equal(["b/cm-00001"], await Keys(new() { Namespace = "b", FieldSelector = "metadata.name=cm-00001", LabelSelector = "tier" }));
        Assert.Equal(["a/kube-root-ca.crt"], await Keys(new() { Namespace = "a", LabelSelector = "!tier" }));
        Assert.Empty(await Keys(new() { Namespace = "a", LabelSelector = "tier,tier notin (web,db)" }));
    }

    [Fact]
    public async Task ListsNamespacedAndClusterScopedCustomResources()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        emulator.Cluster.LoadYaml(ClusterTestKit.WidgetCrds + """

            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: w1, namespace: default}
            spec: {size: 3, anything: [1, 2]}
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: w2, namespace: kube-system}
            ---
            apiVersion: example.com/v1
            kind: Globe
            metadata: {name: earth}
            spec: {round: true}
            """);
        var discovered = await ApiDiscovery.DiscoverAsync(ClusterTestKit.Connect(emulator), CancellationToken.None);
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator));

        var widgets = await lister.ListAsync(discovered.Resolve("widgets")).ToListAsync();
        var globes = await lister.ListAsync(discovered.Resolve("globes"), new ResourceListOptions { Namespace = "default" }).ToListAsync();

        Assert.Equal(["w1", "w2"], widgets.Select(w => w["metadata"]!["name"]!.GetValue<string>()));
        Assert.All(widgets, w => Assert.Equal(("example.com/v1", "Widget"), (w["apiVersion"]!.GetValue<string>(), w["kind"]!.GetValue<string>())));
        Assert.Equal(3, widgets[0]["spec"]!["size"]!.GetValue<int>());
        var earth = Assert.Single(globes);
        Assert.Equal("Globe", earth["kind"]!.GetValue<string>());
        Assert.True(earth["spec"]!["round"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SkipsObjectsBeingDeletedUnlessAsked()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        CreateNamespace(emulator, "fin");
        CreateConfigMaps(emulator, "fin", 3);
        var held = emulator.Cluster.Get("v1", "ConfigMap", "fin", "cm-00001")!;
        held["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        emulator.Cluster.Put(held);
        emulator.Cluster.Delete("v1", "ConfigMap", "fin", "cm-00001");
        Assert.NotNull(emulator.Cluster.Get("v1", "ConfigMap", "fin", "cm-00001")!["metadata"]!["deletionTimestamp"]);
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator));

        var skipped = await lister.ListAsync(ConfigMaps, new ResourceListOptions { Namespace = "fin", PageSize = 1 }).ToListAsync();
        var all = await lister.ListAsync(ConfigMaps, new ResourceListOptions { Namespace = "fin", SkipDeleting = false }).ToListAsync();

        Assert.Equal(["cm-00000", "cm-00002", "kube-root-ca.crt"], skipped.Select(i => i["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal(4, all.Count);
    }

    [Fact]
    public async Task ForbiddenIsItsOwnErrorNamingResourceAndNamespace()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        Observe(emulator, (context, verb, resource) => resource == "secrets"
            ? AnswerStatusAsync(context, 403, "Forbidden", "secrets is forbidden: User \"backup\" cannot list resource \"secrets\".")
            : Task.FromResult(false));
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator));

        var error = await Assert.ThrowsAsync<KbException>(async () => await lister.ListAsync(Secrets, new ResourceListOptions { Namespace = "default" }).ToListAsync());

        Assert.Equal(ErrorIds.ResourceListForbidden, error.ErrorId);
        Assert.Equal(KbErrorCategory.PermissionDenied, error.Category);
        Assert.Equal("secrets", error.Target);
        Assert.Contains("namespace 'default'", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot list", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AResourceTheServerDoesNotKnowFailsWithoutRetrying()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator));
        var gone = new ApiResource("example.com", "v1", "vanished", "Vanished", true, ["get", "list"], []);

        var error = await Assert.ThrowsAsync<KbException>(async () => await lister.ListAsync(gone).ToListAsync());

        Assert.Equal(ErrorIds.ResourceListFailed, error.ErrorId);
        Assert.Equal("vanished.example.com", error.Target);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("retries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredContinueTokenRestartsTheListWithoutDuplicates()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        CreateNamespace(emulator, "exp");
        CreateConfigMaps(emulator, "exp", 25);
        var expired = 0;
        Observe(emulator, (context, verb, resource) =>
            verb == "list" && context.Request.Query.ContainsKey("continue") && context.Request.Query["continue"].ToString().Length > 0
                && context.Request.Query.ContainsKey("limit") && Interlocked.Increment(ref expired) == 2
                ? AnswerStatusAsync(context, 410, "Expired", "The provided continue parameter is too old to display a consistent list result.")
                : Task.FromResult(false));
        var sink = new RecordingSink();
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator), sink);

        var items = await lister.ListAsync(ConfigMaps, new ResourceListOptions { Namespace = "exp", PageSize = 5 }).ToListAsync();

        var names = items.Select(i => i["metadata"]!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(26, names.Count);
        Assert.Equal(26, names.Distinct().Count());
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains(sink.Warnings, w => w.Contains("410", StringComparison.Ordinal) && w.Contains("configmaps", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ContinueTokensThatKeepExpiringFailTheList()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        CreateNamespace(emulator, "exp");
        CreateConfigMaps(emulator, "exp", 10);
        Observe(emulator, (context, verb, _) => verb == "list" && context.Request.Query["continue"].ToString().Length > 0
            ? AnswerStatusAsync(context, 410, "Expired", "The provided continue parameter is too old.")
            : Task.FromResult(false));
        var sink = new RecordingSink();
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator), sink);

        var error = await Assert.ThrowsAsync<KbException>(async () => await lister.ListAsync(ConfigMaps, new ResourceListOptions { Namespace = "exp", PageSize = 4, MaxRestarts = 2 }).ToListAsync());

        Assert.Equal(ErrorIds.ResourceListFailed, error.ErrorId);
        Assert.Contains("410", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, sink.Warnings.Count);
    }
}
