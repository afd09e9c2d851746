using k8s;
using k8s.Models;

namespace KubeApiEmulator.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Parallel_writers_keep_resource_versions_unique_and_patches_lossless()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "counter" },
            Data = new Dictionary<string, string>(),
        }, "default");
        var versions = new System.Collections.Concurrent.ConcurrentBag<string>();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                var cm = await c.Client.CoreV1.CreateNamespacedConfigMapAsync(
                    new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"w{w}-{i}" } }, "default");
                versions.Add(cm.Metadata.ResourceVersion);
                await c.Client.CoreV1.PatchNamespacedConfigMapAsync(
                    new V1Patch("{\"data\":{\"w" + w + "-" + i + "\":\"x\"}}", V1Patch.PatchType.MergePatch), "counter", "default");
                if (i % 5 == 0)
                    await c.Client.CoreV1.DeleteNamespacedConfigMapAsync($"w{w}-{i}", "default");
            }
        })).ToArray();
        await Task.WhenAll(writers);
        Assert.Equal(versions.Count, versions.Distinct().Count());
        var counter = await c.Client.CoreV1.ReadNamespacedConfigMapAsync("counter", "default");
        Assert.Equal(200, counter.Data.Count);
        var left = await c.Client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "metadata.name!=counter,metadata.name!=kube-root-ca.crt");
        Assert.Equal(160, left.Items.Count);
    }
}
