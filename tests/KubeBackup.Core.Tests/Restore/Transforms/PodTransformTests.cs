using System.Text.Json.Nodes;
using KubeBackup.Core.Repository;
using static KubeBackup.Core.Tests.Restore.Transforms.TransformTestKit;

namespace KubeBackup.Core.Tests.Restore.Transforms;

public sealed class PodTransformTests
{
    private static readonly ItemKey Key = new("", "v1", "pods", "shop", "web-6d4cf56db6-abcde");

    private static JsonObject Pod() => Parse("""
        {
          "apiVersion": "v1", "kind": "Pod",
          "metadata": {
            "generateName": "web-6d4cf56db6-", "labels": { "app": "web", "pod-template-hash": "6d4cf56db6" },
            "name": "web-6d4cf56db6-abcde", "namespace": "shop", "uid": "p1", "resourceVersion": "555",
            "ownerReferences": [ { "apiVersion": "apps/v1", "blockOwnerDeletion": true, "controller": true, "kind": "ReplicaSet", "name": "web-6d4cf56db6", "uid": "a3e1" } ]
          },
          "spec": {
            "containers": [ {
              "image": "nginx:1.27", "name": "web",
              "volumeMounts": [ { "mountPath": "/data", "name": "data" },
                                { "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-7xq2m", "readOnly": true } ]
            } ],
            "initContainers": [ {
              "image": "busybox:1.36", "name": "init",
              "volumeMounts": [ { "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-7xq2m", "readOnly": true } ]
            } ],
            "nodeName": "ip-10-0-1-17.ec2.internal",
            "priority": 1000, "priorityClassName": "shop-high",
            "serviceAccountName": "web",
            "volumes": [
              { "name": "data", "persistentVolumeClaim": { "claimName": "web-data" } },
              { "name": "kube-api-access-7xq2m", "projected": { "defaultMode": 420, "sources": [
                  { "serviceAccountToken": { "expirationSeconds": 3607, "path": "token" } },
                  { "configMap": { "items": [ { "key": "ca.crt", "path": "ca.crt" } ], "name": "kube-root-ca.crt" } } ] } }
            ]
          },
          "status": { "phase": "Running", "podIP": "10.244.1.12" }
        }
        """);

    [Fact]
    public void APodIsScheduledAnewWithoutTheInjectedTokenVolume()
    {
        var spec = Created(Key, Pod(), Context())["spec"]!.AsObject();
        Assert.False(spec.ContainsKey("nodeName"));
        AssertJson("""[ { "name": "data", "persistentVolumeClaim": { "claimName": "web-data" } } ]""", spec["volumes"]);
        AssertJson("""[ { "mountPath": "/data", "name": "data" } ]""", spec["containers"]![0]!["volumeMounts"]);
        AssertJson("[]", spec["initContainers"]![0]!["volumeMounts"]);
        Assert.Equal("web", Text(spec["serviceAccountName"]));
    }

    [Fact]
    public void APodsPriorityIsLeftToItsClass()
    {
        var spec = Created(Key, Pod(), Context())["spec"]!.AsObject();
        Assert.False(spec.ContainsKey("priority"));
        Assert.Equal("shop-high", Text(spec["priorityClassName"]));
    }

    [Fact]
    public void APodWithoutAClassKeepsItsPriority()
    {
        var pod = Pod();
        pod["spec"]!.AsObject().Remove("priorityClassName");
        Assert.Equal(1000, Created(Key, pod, Context())["spec"]!["priority"]!.GetValue<int>());
    }

    [Fact]
    public void AVolumeNamedLikeTheInjectedOneButNotProjectedIsKept()
    {
        var pod = Pod();
        pod["spec"]!["volumes"]![0]!["name"] = "kube-api-access-data";
        pod["spec"]!["containers"]![0]!["volumeMounts"]![0]!["name"] = "kube-api-access-data";
        var spec = Created(Key, pod, Context())["spec"]!;
        Assert.Equal("kube-api-access-data", Text(spec["volumes"]![0]!["name"]));
        Assert.Single(spec["volumes"]!.AsArray());
        Assert.Single(spec["containers"]![0]!["volumeMounts"]!.AsArray());
    }

    [Fact]
    public void ALegacyTokenSecretVolumeIsRemovedWithItsSecret()
    {
        var pod = Parse("""
            { "apiVersion": "v1", "kind": "Pod", "metadata": { "name": "old", "namespace": "shop" },
              "spec": {
                "containers": [ { "image": "app:1", "name": "app", "volumeMounts": [ { "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "default-token-4fz9q", "readOnly": true } ] } ],
                "serviceAccount": "default", "serviceAccountName": "default",
                "volumes": [ { "name": "default-token-4fz9q", "secret": { "defaultMode": 420, "secretName": "default-token-4fz9q" } },
                             { "name": "tls", "secret": { "secretName": "web-tls" } } ] } }
            """);
        var spec = Created(Key with { Name = "old" }, pod, Context())["spec"]!;
        AssertJson("""[ { "name": "tls", "secret": { "secretName": "web-tls" } } ]""", spec["volumes"]);
        AssertJson("[]", spec["containers"]![0]!["volumeMounts"]);
    }

    [Fact]
    public void EphemeralContainersAreNotCreated()
    {
        var pod = Pod();
        pod["spec"]!["ephemeralContainers"] = JsonNode.Parse("""[ { "name": "debugger-x1", "image": "busybox:1.36", "targetContainerName": "web" } ]""");
        Assert.False(Created(Key, pod, Context())["spec"]!.AsObject().ContainsKey("ephemeralContainers"));
    }

    [Fact]
    public void APodOfARestoredReplicaSetIsLeftToIt()
    {
        var reason = Skipped(Key, Pod(), Context(isRestored: (_, k, n, name) => k == "ReplicaSet" && n == "shop" && name == "web-6d4cf56db6"));
        Assert.Equal("left to its controller ReplicaSet 'web-6d4cf56db6', which this restore also restores", reason);
    }

    [Fact]
    public void AMirrorPodIsSkipped()
    {
        var pod = Parse("""
            { "apiVersion": "v1", "kind": "Pod",
              "metadata": { "annotations": { "kubernetes.io/config.hash": "3f1c", "kubernetes.io/config.mirror": "3f1c", "kubernetes.io/config.source": "file" },
                "name": "kube-apiserver-cp-1", "namespace": "kube-system",
                "ownerReferences": [ { "apiVersion": "v1", "controller": true, "kind": "Node", "name": "cp-1", "uid": "n1" } ] },
              "spec": { "containers": [ { "image": "registry.k8s.io/kube-apiserver:v1.31.2", "name": "kube-apiserver" } ], "nodeName": "cp-1" } }
            """);
        var reason = Skipped(new ItemKey("", "v1", "pods", "kube-system", "kube-apiserver-cp-1"), pod, Context());
        Assert.Equal("mirror pod of a static pod; the kubelet of its node makes it", reason);
    }
}
