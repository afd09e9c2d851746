using System.Text.Json.Nodes;
using KubeBackup.Core.Repository;
using static KubeBackup.Core.Tests.Restore.Transforms.TransformTestKit;

namespace KubeBackup.Core.Tests.Restore.Transforms;

public sealed class EndpointSliceTransformTests
{
    private static JsonObject Slice(string managedBy) => Parse($$"""
        {
          "addressType": "IPv4", "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
          "endpoints": [ { "addresses": [ "10.244.1.12" ], "conditions": { "ready": true } } ],
          "metadata": {
            "labels": { "endpointslice.kubernetes.io/managed-by": "{{managedBy}}", "kubernetes.io/service-name": "web" },
            "name": "web-8kq2d", "namespace": "shop"
          },
          "ports": [ { "name": "http", "port": 8080, "protocol": "TCP" } ]
        }
        """);

    private static readonly ItemKey Key = new("discovery.k8s.io", "v1", "endpointslices", "shop", "web-8kq2d");

    [Fact]
    public void ControllerManagedSlicesAreLeftToTheController()
    {
        Assert.Equal("left to the EndpointSlice controller of the restored Service", Skipped(Key, Slice("endpointslice-controller.k8s.io"), Context()));
        Assert.Equal("left to the EndpointSlice mirroring controller of the restored Endpoints", Skipped(Key, Slice("endpointslicemirroring-controller.k8s.io"), Context()));
    }

    [Fact]
    public void SlicesAUserManagesAreRestored()
    {
        var created = Created(Key, Slice("staff"), Context());
        Assert.Equal("10.244.1.12", Text(created["endpoints"]![0]!["addresses"]![0]));
    }
}
