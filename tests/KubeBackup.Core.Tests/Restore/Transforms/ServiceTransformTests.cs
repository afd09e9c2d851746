using System.Text.Json.Nodes;
using KubeBackup.Core.Repository;
using static KubeBackup.Core.Tests.Restore.Transforms.TransformTestKit;

namespace KubeBackup.Core.Tests.Restore.Transforms;

public sealed class ServiceTransformTests
{
    private static readonly ItemKey Key = new("", "v1", "services", "shop", "web");

    private static JsonObject ClusterIpService() => Parse("""
        {
          "apiVersion": "v1", "kind": "Service",
          "metadata": { "name": "web", "namespace": "shop", "uid": "s1", "resourceVersion": "77", "creationTimestamp": "2026-11-01T10:00:00Z" },
          "spec": {
            "clusterIP": "10.96.14.20", "clusterIPs": [ "10.96.14.20" ], "internalTrafficPolicy": "Cluster",
            "ipFamilies": [ "IPv4" ], "ipFamilyPolicy": "SingleStack",
            "ports": [ { "name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080 } ],
            "selector": { "app": "web" }, "sessionAffinity": "None", "type": "ClusterIP"
          },
          "status": { "loadBalancer": {} }
        }
        """);

    private static JsonObject NodePortService() => Parse("""
        {
          "apiVersion": "v1", "kind": "Service",
          "metadata": { "name": "web", "namespace": "shop" },
          "spec": {
            "clusterIP": "10.96.200.3", "clusterIPs": [ "10.96.200.3" ], "externalTrafficPolicy": "Local", "healthCheckNodePort": 31999,
            "ports": [ { "name": "http", "nodePort": 30080, "port": 80, "protocol": "TCP", "targetPort": 8080 },
                       { "name": "https", "nodePort": 30443, "port": 443, "protocol": "TCP", "targetPort": 8443 } ],
            "selector": { "app": "web" }, "type": "LoadBalancer"
          },
          "status": { "loadBalancer": { "ingress": [ { "ip": "203.0.113.10" } ] } }
        }
        """);

    [Fact]
    public void ClusterIpsAreLeftToTheTargetCluster()
    {
        var spec = Created(Key, ClusterIpService(), Context())["spec"];
        AssertJson("""
            {
              "internalTrafficPolicy": "Cluster", "ipFamilies": [ "IPv4" ], "ipFamilyPolicy": "SingleStack",
              "ports": [ { "name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080 } ],
              "selector": { "app": "web" }, "sessionAffinity": "None", "type": "ClusterIP"
            }
            """, spec);
    }

    [Fact]
    public void HeadlessServicesStayHeadless()
    {
        var item = Parse("""
            { "apiVersion": "v1", "kind": "Service", "metadata": { "name": "db", "namespace": "shop" },
              "spec": { "clusterIP": "None", "clusterIPs": [ "None" ], "ports": [ { "port": 5432, "protocol": "TCP", "targetPort": 5432 } ], "selector": { "app": "db" }, "type": "ClusterIP" } }
            """);
        var spec = Created(Key with { Name = "db" }, item, Context())["spec"]!;
        Assert.Equal("None", Text(spec["clusterIP"]));
        AssertJson("""[ "None" ]""", spec["clusterIPs"]);
    }

    [Fact]
    public void NodePortsAreLeftToTheTargetClusterByDefault()
    {
        var created = Created(Key, NodePortService(), Context());
        AssertJson("""
            {
              "externalTrafficPolicy": "Local",
              "ports": [ { "name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080 },
                         { "name": "https", "port": 443, "protocol": "TCP", "targetPort": 8443 } ],
              "selector": { "app": "web" }, "type": "LoadBalancer"
            }
            """, created["spec"]);
        Assert.False(created.ContainsKey("status"));
    }

    [Fact]
    public void NodePortsAreKeptWhenPreserved()
    {
        var spec = Created(Key, NodePortService(), Context(preserveNodePorts: true))["spec"]!;
        Assert.Equal(30080, spec["ports"]![0]!["nodePort"]!.GetValue<int>());
        Assert.Equal(30443, spec["ports"]![1]!["nodePort"]!.GetValue<int>());
        Assert.Equal(31999, spec["healthCheckNodePort"]!.GetValue<int>());
        Assert.False(spec.AsObject().ContainsKey("clusterIP"));
        Assert.False(spec.AsObject().ContainsKey("clusterIPs"));
    }

    [Fact]
    public void ExternalNameServicesAreUnchanged()
    {
        var item = Parse("""{ "apiVersion": "v1", "kind": "Service", "metadata": { "name": "ext", "namespace": "shop" }, "spec": { "externalName": "db.example.com", "sessionAffinity": "None", "type": "ExternalName" } }""");
        AssertJson("""{ "externalName": "db.example.com", "sessionAffinity": "None", "type": "ExternalName" }""", Created(Key with { Name = "ext" }, item, Context())["spec"]);
    }
}
