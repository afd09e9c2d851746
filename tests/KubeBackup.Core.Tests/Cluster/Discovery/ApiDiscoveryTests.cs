using KubeApiEmulator;
using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Cluster.Listing;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Tests.Cluster.Discovery;

/// <summary>Discovery against the in-process emulator: groups, preferred versions, CRDs, skips and lookups.</summary>
public sealed class ApiDiscoveryTests
{
    [Fact]
    public async Task FindsTheBuiltInGroupsAtTheirPreferredVersions()
    {
        await using var emulator = await EmulatorServer.StartAsync();

        var discovered = await ApiDiscovery.DiscoverAsync(ClusterTestKit.Connect(emulator), CancellationToken.None);

        var configMaps = Assert.Single(discovered.All, r => r.FullName == "configmaps");
        Assert.Equal(("", "v1", "ConfigMap", true), (configMaps.Group, configMaps.Version, configMaps.Kind, configMaps.Namespaced));
        Assert.Equal("v1", configMaps.ApiVersion);
        Assert.Contains("cm", configMaps.ShortNames);
        Assert.Contains("list", configMaps.Verbs);
        Assert.Equal("apps/v1", Assert.Single(discovered.All, r => r.FullName == "deployments.apps").ApiVersion);
        Assert.Equal("batch/v1", Assert.Single(discovered.All, r => r.FullName == "jobs.batch").ApiVersion);
        Assert.Equal("autoscaling/v2", Assert.Single(discovered.All, r => r.FullName == "horizontalpodautoscalers.autoscaling").ApiVersion);
        var clusterRoles = Assert.Single(discovered.All, r => r.FullName == "clusterroles.rbac.authorization.k8s.io");
        Assert.False(clusterRoles.Namespaced);
        Assert.Empty(discovered.FailedGroups);
        Assert.Equal(discovered.All.Count, discovered.All.Select(r => r.FullName).Distinct().Count());
    }

    [Fact]
    public async Task FindsACustomResourceOnceItsDefinitionExists()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var client = ClusterTestKit.Connect(emulator);
        Assert.Null((await ApiDiscovery.DiscoverAsync(client, CancellationToken.None)).Find("widgets"));

        emulator.Cluster.LoadYaml(ClusterTestKit.WidgetCrds);
        var discovered = await ApiDiscovery.DiscoverAsync(client, CancellationToken.None);

        var widgets = Assert.Single(discovered.BackupCandidates, r => r.FullName == "widgets.example.com");
        Assert.Equal(("example.com/v1", "Widget", true), (widgets.ApiVersion, widgets.Kind, widgets.Namespaced));
        Assert.False(Assert.Single(discovered.BackupCandidates, r => r.FullName == "globes.example.com").Namespaced);
    }

    [Fact]
    public async Task TakesAGroupAtItsPreferredVersionOnly()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        emulator.Cluster.LoadYaml("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: gadgets.example.org
            spec:
              group: example.org
              scope: Namespaced
              names: {plural: gadgets, singular: gadget, kind: Gadget, listKind: GadgetList}
              versions:
              - name: v1beta1
                served: true
                storage: false
                schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
              - name: v1
                served: true
                storage: true
                schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
            """);

        var discovered = await ApiDiscovery.DiscoverAsync(ClusterTestKit.Connect(emulator), CancellationToken.None);

        Assert.Equal("example.org/v1", Assert.Single(discovered.All, r => r.Group == "example.org").ApiVersion);
    }

    [Fact]
    public async Task LeavesOutSubresourcesAndTakesEventsOnce()
    {
        await using var emulator = await EmulatorServer.StartAsync();

        var discovered = await ApiDiscovery.DiscoverAsync(ClusterTestKit.Connect(emulator), CancellationToken.None);

        Assert.DoesNotContain(discovered.All, r => r.Resource.Contains('/', StringComparison.Ordinal));
        Assert.Contains(discovered.All, r => r.FullName == "pods");
        var events = discovered.BackupCandidates.Where(r => r.Resource == "events").ToList();
        Assert.Equal("events.events.k8s.io", Assert.Single(events).FullName);
        var coreEvents = Assert.Single(discovered.Skipped, r => r.FullName == "events");
        Assert.Contains("events.events.k8s.io", coreEvents.SkipReason, StringComparison.Ordinal);
        Assert.All(discovered.BackupCandidates, r => Assert.True(r.Listable));
    }

    [Theory]
    [InlineData("deployments", "deployments.apps")]
    [InlineData("deployments.apps", "deployments.apps")]
    [InlineData("deployments.v1.apps", "deployments.apps")]
    [InlineData("deploy", "deployments.apps")]
    [InlineData("Deployment", "deployments.apps")]
    [InlineData("deployment", "deployments.apps")]
    [InlineData("cm", "configmaps")]
    [InlineData("ConfigMaps", "configmaps")]
    [InlineData("events", "events.events.k8s.io")]
    [InlineData("events.events.k8s.io", "events.events.k8s.io")]
    [InlineData("ev", "events.events.k8s.io")]
    [InlineData("wg", "widgets.example.com")]
    [InlineData("Widget", "widgets.example.com")]
    [InlineData("widgets.example.com", "widgets.example.com")]
    [InlineData("globes", "globes.example.com")]
    public async Task ResolvesEveryFormUsersType(string name, string expected)
    {
        await using var emulator = await EmulatorServer.StartAsync();
        emulator.Cluster.LoadYaml(ClusterTestKit.WidgetCrds);
        var discovered = await ApiDiscovery.DiscoverAsync(ClusterTestKit.Connect(emulator), CancellationToken.None);

        Assert.Equal(expected, discovered.Resolve(name).FullName);
    }

    [Fact]
    public async Task AnUnknownNameIsAnErrorWithCloseMatches()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var discovered = await ApiDiscovery.DiscoverAsync(ClusterTestKit.Connect(emulator), CancellationToken.None);

        var error = Assert.Throws<KbException>(() => discovered.Resolve("deploymnets"));

        Assert.Equal(ErrorIds.ResourceTypeNotFound, error.ErrorId);
        Assert.Equal(KbErrorCategory.ObjectNotFound, error.Category);
        Assert.Contains("'deploymnets'", error.Message, StringComparison.Ordinal);
        Assert.Contains("deployments.apps", error.Message, StringComparison.Ordinal);
        Assert.Null(discovered.Find("deployments.batch"));
    }

    [Fact]
    public async Task AnUnreachableServerIsADiscoveryFailure()
    {
        var emulator = await EmulatorServer.StartAsync();
        var client = ClusterTestKit.Connect(emulator);
        await emulator.DisposeAsync();

        var error = await Assert.ThrowsAsync<KbException>(() => ApiDiscovery.DiscoverAsync(client, new RecordingSink(), new RetryPolicy { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(1) }, CancellationToken.None));

        Assert.Equal(ErrorIds.DiscoveryFailed, error.ErrorId);
        Assert.Contains("/api/v1", error.Message, StringComparison.Ordinal);
    }
}
