using System.Text.Json.Nodes;
using k8s;
using KubeApiEmulator.Manifests;

namespace KubeApiEmulator.Tests;

/// <summary>tests/fixtures/webapp loads completely and settles as a running application would.</summary>
public sealed class WebAppFixtureTests
{
    [Fact]
    public async Task The_webapp_fixture_loads_and_its_controllers_settle()
    {
        await using var c = await TestCluster.StartAsync();
        var loaded = ManifestLoader.LoadPath(c.Server.Cluster, Fixtures.WebApp);
        Assert.Equal(22, loaded);

        var ns = await c.Client.CoreV1.ReadNamespaceAsync("webapp");
        Assert.Equal("production", ns.Metadata.Labels["env"]);
        Assert.Equal(2, (await c.Client.CoreV1.ListNamespacedSecretAsync("webapp", labelSelector: "app")).Items.Count);
        await c.Client.CoreV1.ReadNamespacedConfigMapAsync("web-config", "webapp");
        await c.Client.CoreV1.ReadNamespacedServiceAccountAsync("web", "webapp");
        await c.Client.RbacAuthorizationV1.ReadNamespacedRoleAsync("web", "webapp");
        var binding = await c.Client.RbacAuthorizationV1.ReadClusterRoleBindingAsync("webapp-node-reader");
        Assert.Equal(("ServiceAccount", "webapp", "web"), (binding.Subjects[0].Kind, binding.Subjects[0].NamespaceProperty, binding.Subjects[0].Name));
        await c.Client.RbacAuthorizationV1.ReadClusterRoleAsync("webapp-node-reader");
        await c.Client.NetworkingV1.ReadNamespacedIngressAsync("web", "webapp");
        await c.Client.BatchV1.ReadNamespacedCronJobAsync("db-dump", "webapp");
        Assert.Equal("None", (await c.Client.CoreV1.ReadNamespacedServiceAsync("db", "webapp")).Spec.ClusterIP);
        Assert.Equal(30080, (await c.Client.CoreV1.ReadNamespacedServiceAsync("web-public", "webapp")).Spec.Ports[0].NodePort);
        Assert.Matches(@"^10\.", (await c.Client.CoreV1.ReadNamespacedServiceAsync("web", "webapp")).Spec.ClusterIP);

        var crd = await c.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("databases.example.com");
        Assert.Contains(crd.Status.Conditions, x => x.Type == "Established" && x.Status == "True");
        var databases = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(
            await c.Client.CustomObjects.ListNamespacedCustomObjectAsync("example.com", "v1", "webapp", "databases")))!;
        Assert.Equal(["analytics", "orders"], databases["items"]!.AsArray().Select(d => (string?)d!["metadata"]!["name"]).Order());
        Assert.Equal("Ready", (string?)databases["items"]!.AsArray().Single(d => (string?)d!["metadata"]!["name"] == "orders")!["status"]!["phase"]);

        await TestCluster.Eventually(async () =>
        {
            var claims = (await c.Client.CoreV1.ListNamespacedPersistentVolumeClaimAsync("webapp")).Items;
            return claims.Count == 2 && claims.All(x => x.Status?.Phase == "Bound" && x.Spec.VolumeName is { Length: > 0 });
        }, "uploads and data-db-0 bound");
        var volume = await c.Client.CoreV1.ReadPersistentVolumeAsync(
            (await c.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("data-db-0", "webapp")).Spec.VolumeName);
        Assert.Equal(("webapp-ssd", "hostpath.csi.k8s.io"), (volume.Spec.StorageClassName, volume.Spec.Csi.Driver));

        await TestCluster.Eventually(async () =>
        {
            var web = await c.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "webapp");
            var db = await c.Client.AppsV1.ReadNamespacedStatefulSetAsync("db", "webapp");
            return web.Status?.ReadyReplicas == 2 && db.Status?.ReadyReplicas == 1;
        }, "web 2/2 and db 1/1 ready");
    }
}
