using System.Text.Json.Nodes;
using KubeBackup.Core.Repository;
using static KubeBackup.Core.Tests.Restore.Transforms.TransformTestKit;

namespace KubeBackup.Core.Tests.Restore.Transforms;

public sealed class NamespaceTransformTests
{
    private static readonly ItemKey Key = new("", "v1", "namespaces", null, "shop");

    private static JsonObject Namespace() => Parse("""
        {
          "apiVersion": "v1", "kind": "Namespace",
          "metadata": {
            "annotations": { "scheduler.alpha.kubernetes.io/node-selector": "pool=shop" },
            "creationTimestamp": "2026-10-01T08:00:00Z",
            "labels": { "kubernetes.io/metadata.name": "shop", "team": "retail" },
            "name": "shop", "resourceVersion": "42", "uid": "n0"
          },
          "spec": { "finalizers": [ "kubernetes" ] },
          "status": { "phase": "Active" }
        }
        """);

    [Fact]
    public void TheNamespaceObjectKeepsItsNameWithoutMapping()
    {
        var created = Created(Key, Namespace(), Context());
        AssertJson("""
            {
              "apiVersion": "v1", "kind": "Namespace",
              "metadata": {
                "annotations": { "scheduler.alpha.kubernetes.io/node-selector": "pool=shop" },
                "labels": { "kubernetes.io/metadata.name": "shop", "team": "retail",
                            "kubebackup.io/backup-name": "nightly-20261124", "kubebackup.io/restore-name": "nightly-20261124-restore" },
                "name": "shop"
              }
            }
            """, created);
    }

    [Fact]
    public void TheNamespaceObjectIsRenamedByTheMapping()
    {
        var created = Created(Key, Namespace(), Context(mapping: new Dictionary<string, string> { ["shop"] = "shop-dr" }));
        Assert.Equal("shop-dr", Text(created["metadata"]!["name"]));
        Assert.Equal("shop-dr", Text(created["metadata"]!["labels"]!["kubernetes.io/metadata.name"]));
        Assert.False(created["metadata"]!.AsObject().ContainsKey("namespace"));
    }

    [Fact]
    public void TheNamespaceStatusIsDroppedEvenWhenStatusIsRestored()
    {
        var created = Created(Key, Namespace(), Context(restoresStatusOf: _ => true));
        Assert.False(created.ContainsKey("status"));
        Assert.False(created.ContainsKey("spec"));
    }

    [Fact]
    public void OtherNamespaceSpecFieldsAreKept()
    {
        var ns = Namespace();
        ns["spec"]!["future"] = "x";
        AssertJson("""{ "future": "x" }""", Created(Key, ns, Context())["spec"]);
    }
}
