using System.Text.Json.Nodes;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Restore;
using KubeBackup.Core.Restore.Transforms;
using static KubeBackup.Core.Tests.Restore.Transforms.TransformTestKit;

namespace KubeBackup.Core.Tests.Restore.Transforms;

public sealed class MetadataTransformTests
{
    private static readonly ItemKey DeploymentKey = new("apps", "v1", "deployments", "shop", "web");

    private static JsonObject Deployment() => Parse("""
        {
          "apiVersion": "apps/v1",
          "kind": "Deployment",
          "metadata": {
            "annotations": { "deployment.kubernetes.io/revision": "3" },
            "creationTimestamp": "2026-11-01T10:00:00Z",
            "deletionGracePeriodSeconds": 30,
            "deletionTimestamp": "2026-11-23T10:00:00Z",
            "generateName": "web-",
            "generation": 3,
            "labels": { "app": "web" },
            "managedFields": [ { "manager": "kubectl-client-side-apply", "operation": "Update", "apiVersion": "apps/v1" } ],
            "name": "web",
            "namespace": "shop",
            "ownerReferences": [ { "apiVersion": "example.com/v1", "kind": "WebApp", "name": "web", "uid": "0d1f", "controller": false } ],
            "resourceVersion": "123456",
            "selfLink": "/apis/apps/v1/namespaces/shop/deployments/web",
            "uid": "7c2b4f3e-1111-4a6e-9c55-0a1b2c3d4e5f"
          },
          "spec": {
            "replicas": 2,
            "selector": { "matchLabels": { "app": "web" } },
            "template": { "metadata": { "labels": { "app": "web" } }, "spec": { "containers": [ { "name": "web", "image": "nginx:1.27" } ] } }
          },
          "status": { "availableReplicas": 2, "observedGeneration": 3, "readyReplicas": 2, "replicas": 2, "updatedReplicas": 2 }
        }
        """);

    [Fact]
    public void ServerSetMetadataIsDroppedAndTheRestKept()
    {
        var created = Created(DeploymentKey, Deployment(), Context());
        AssertJson("""
            {
              "annotations": { "deployment.kubernetes.io/revision": "3" },
              "generateName": "web-",
              "labels": { "app": "web", "kubebackup.io/backup-name": "nightly-20261124", "kubebackup.io/restore-name": "nightly-20261124-restore" },
              "name": "web",
              "namespace": "shop"
            }
            """, created["metadata"]);
        AssertJson(Deployment()["spec"]!.ToJsonString(), created["spec"]);
    }

    [Fact]
    public void StatusIsDroppedUnlessItsTypeKeepsStatus()
    {
        Assert.False(Created(DeploymentKey, Deployment(), Context()).ContainsKey("status"));
        var asked = new List<string>();
        var kept = Created(DeploymentKey, Deployment(), Context(restoresStatusOf: n => { asked.Add(n); return n == "deployments.apps"; }));
        Assert.Equal(["deployments.apps"], asked);
        Assert.Equal(2, kept["status"]!["readyReplicas"]!.GetValue<int>());
    }

    [Fact]
    public void NamespaceFollowsTheMapping()
    {
        var context = Context(mapping: new Dictionary<string, string> { ["shop"] = "shop-copy" });
        Assert.Equal("shop-copy", Text(Created(DeploymentKey, Deployment(), context)["metadata"]!["namespace"]));
        Assert.Equal("shop-copy", RestoreTransform.TargetNamespace(DeploymentKey, context));
        Assert.Equal("other", RestoreTransform.TargetNamespace(DeploymentKey with { Namespace = "other" }, context));
        Assert.Null(RestoreTransform.TargetNamespace(new ItemKey("", "v1", "namespaces", null, "shop"), context));
        Assert.Equal("shop-copy", context.TargetNamespace("shop"));
        Assert.Equal("kept", context.TargetNamespace("kept"));
    }

    [Fact]
    public void RestoreLabelsAreAddedWhenAnObjectHasNoLabels()
    {
        var item = Parse("""{ "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "settings", "namespace": "shop", "uid": "u1" }, "data": { "a": "1" } }""");
        var created = Created(new ItemKey("", "v1", "configmaps", "shop", "settings"), item, Context());
        AssertJson("""{ "kubebackup.io/backup-name": "nightly-20261124", "kubebackup.io/restore-name": "nightly-20261124-restore" }""", created["metadata"]!["labels"]);
        AssertJson("""{ "a": "1" }""", created["data"]);
    }

    [Fact]
    public void LongBackupAndRestoreNamesAreLabelledWithinTheLimit()
    {
        var context = new RestoreContext { BackupName = new string('b', 80), RestoreName = new string('r', 70) };
        var labels = Created(DeploymentKey, Deployment(), context)["metadata"]!["labels"]!;
        Assert.Equal(RestoreLabels.Value(new string('b', 80)), Text(labels[RestoreLabels.BackupName]));
        Assert.Equal(RestoreLabels.Value(new string('r', 70)), Text(labels[RestoreLabels.RestoreName]));
        Assert.Equal(63, Text(labels[RestoreLabels.BackupName])!.Length);
    }

    [Fact]
    public void ClusterScopedObjectsHaveNoNamespace()
    {
        var item = Parse("""
            { "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
              "metadata": { "name": "reader", "uid": "u2", "resourceVersion": "9", "creationTimestamp": "2026-01-01T00:00:00Z" },
              "rules": [ { "apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"] } ] }
            """);
        var created = Created(new ItemKey("rbac.authorization.k8s.io", "v1", "clusterroles", null, "reader"), item, Context());
        Assert.False(created["metadata"]!.AsObject().ContainsKey("namespace"));
        Assert.Equal("reader", Text(created["metadata"]!["name"]));
        Assert.Single(created["rules"]!.AsArray());
    }

    [Theory]
    [InlineData("", "nodes", null)]
    [InlineData("", "events", "shop")]
    [InlineData("events.k8s.io", "events", "shop")]
    [InlineData("", "componentstatuses", null)]
    [InlineData("storage.k8s.io", "csinodes", null)]
    [InlineData("storage.k8s.io", "volumeattachments", null)]
    [InlineData("coordination.k8s.io", "leases", "kube-node-lease")]
    [InlineData("velero.io", "backups", "velero")]
    [InlineData("velero.io", "restores", "velero")]
    [InlineData("velero.io", "schedules", "velero")]
    [InlineData("velero.io", "backupstoragelocations", "velero")]
    public void SomeTypesAreNeverRestored(string group, string resource, string? ns)
    {
        var item = Parse("""{ "apiVersion": "v1", "kind": "Thing", "metadata": { "name": "x" } }""");
        var reason = Skipped(new ItemKey(group, "v1", resource, ns, "x"), item, Context());
        Assert.StartsWith("never restored: ", reason);
    }

    [Fact]
    public void AnObjectWhoseControllerIsRestoredIsLeftToIt()
    {
        var replicaSet = ReplicaSet();
        var asked = new List<(string, string, string?, string)>();
        var reason = Skipped(ReplicaSetKey, replicaSet, Context(isRestored: (a, k, n, name) =>
        {
            asked.Add((a, k, n, name));
            return a == "apps/v1" && k == "Deployment" && n == "shop" && name == "web";
        }));
        Assert.Equal("left to its controller Deployment 'web', which this restore also restores", reason);
        Assert.Equal(("apps/v1", "Deployment", "shop", "web"), asked[0]);
    }

    [Fact]
    public void AnObjectWhoseControllerIsNotRestoredIsRestoredWithoutOwners()
    {
        var created = Created(ReplicaSetKey, ReplicaSet(), Context(isRestored: (_, k, _, _) => k != "Deployment"));
        Assert.False(created["metadata"]!.AsObject().ContainsKey("ownerReferences"));
        Assert.Equal("web-6d4cf56db6", Text(created["metadata"]!["name"]));
        Assert.Equal("6d4cf56db6", Text(created["spec"]!["selector"]!["matchLabels"]!["pod-template-hash"]));
    }

    [Fact]
    public void OnlyTheControllingOwnerDecides()
    {
        var item = ReplicaSet();
        item["metadata"]!["ownerReferences"]![0]!["controller"] = false;
        var created = Created(ReplicaSetKey, item, Context(isRestored: (_, _, _, _) => true));
        Assert.False(created["metadata"]!.AsObject().ContainsKey("ownerReferences"));
    }

    [Fact]
    public void AClusterScopedControllerIsAskedWithoutNamespace()
    {
        var item = Parse("""
            { "apiVersion": "v1", "kind": "ConfigMap",
              "metadata": { "name": "generated", "namespace": "shop",
                "ownerReferences": [ { "apiVersion": "example.com/v1", "kind": "Tenant", "name": "acme", "uid": "t1", "controller": true, "blockOwnerDeletion": true } ] } }
            """);
        var reason = Skipped(new ItemKey("", "v1", "configmaps", "shop", "generated"), item, Context(isRestored: (_, k, n, name) => k == "Tenant" && n is null && name == "acme"));
        Assert.Equal("left to its controller Tenant 'acme', which this restore also restores", reason);
    }

    [Fact]
    public void FieldsOfUnexpectedShapesAreNotFatal()
    {
        var pod = Parse("""
            { "apiVersion": "v1", "kind": "Pod",
              "metadata": { "name": "odd", "namespace": "shop", "ownerReferences": [ "not-an-object", { "controller": "yes", "kind": 3 } ], "labels": "none" },
              "spec": { "containers": [ "x", { "name": "a", "volumeMounts": [ 1, { "name": "kube-api-access-1" } ] } ],
                        "volumes": [ 2, { "name": "kube-api-access-1", "projected": {} } ] } }
            """);
        var created = Created(new ItemKey("", "v1", "pods", "shop", "odd"), pod, Context(isRestored: (_, _, _, _) => true));
        AssertJson("""[ 1 ]""", created["spec"]!["containers"]![1]!["volumeMounts"]);
        AssertJson("""{ "kubebackup.io/backup-name": "nightly-20261124", "kubebackup.io/restore-name": "nightly-20261124-restore" }""", created["metadata"]!["labels"]);

        var account = Parse("""{ "apiVersion": "v1", "kind": "ServiceAccount", "metadata": { "name": "sa", "namespace": "shop" }, "secrets": [ "sa-token-abcde", { "name": "sa-token-abcde" } ] }""");
        AssertJson("""[ "sa-token-abcde" ]""", Created(new ItemKey("", "v1", "serviceaccounts", "shop", "sa"), account, Context())["secrets"]);
    }

    private static readonly ItemKey ReplicaSetKey = new("apps", "v1", "replicasets", "shop", "web-6d4cf56db6");

    private static JsonObject ReplicaSet() => Parse("""
        {
          "apiVersion": "apps/v1",
          "kind": "ReplicaSet",
          "metadata": {
            "annotations": { "deployment.kubernetes.io/desired-replicas": "2", "deployment.kubernetes.io/max-replicas": "3", "deployment.kubernetes.io/revision": "3" },
            "creationTimestamp": "2026-11-01T10:00:00Z",
            "generation": 1,
            "labels": { "app": "web", "pod-template-hash": "6d4cf56db6" },
            "name": "web-6d4cf56db6",
            "namespace": "shop",
            "ownerReferences": [ { "apiVersion": "apps/v1", "blockOwnerDeletion": true, "controller": true, "kind": "Deployment", "name": "web", "uid": "7c2b4f3e-1111-4a6e-9c55-0a1b2c3d4e5f" } ],
            "resourceVersion": "123400",
            "uid": "a3e1c2d4-2222-4b7f-8d66-1b2c3d4e5f60"
          },
          "spec": {
            "replicas": 2,
            "selector": { "matchLabels": { "app": "web", "pod-template-hash": "6d4cf56db6" } },
            "template": { "metadata": { "labels": { "app": "web", "pod-template-hash": "6d4cf56db6" } }, "spec": { "containers": [ { "name": "web", "image": "nginx:1.27" } ] } }
          },
          "status": { "availableReplicas": 2, "fullyLabeledReplicas": 2, "observedGeneration": 1, "readyReplicas": 2, "replicas": 2 }
        }
        """);
}
