using System.Text.Json.Nodes;
using KubeBackup.Core.Compare;
using KubeBackup.Core.Restore;

namespace KubeBackup.Core.Tests.Compare;

public sealed class ObjectNormalizerTests
{
    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static bool SameForComparison(JsonObject a, JsonObject b) =>
        JsonNode.DeepEquals(ObjectNormalizer.ForComparison(a), ObjectNormalizer.ForComparison(b));

    private const string BackedUpService = """
        {"apiVersion":"v1","kind":"Service",
         "metadata":{"name":"web","namespace":"shop","uid":"u-1","resourceVersion":"17","creationTimestamp":"2026-01-01T00:00:00Z","labels":{"app":"web"}},
         "spec":{"type":"NodePort","clusterIP":"10.0.0.7","clusterIPs":["10.0.0.7"],"selector":{"app":"web"},
                 "ports":[{"name":"http","port":80,"targetPort":8080,"nodePort":30080}]},
         "status":{"loadBalancer":{}}}
        """;

    [Fact]
    public void AServiceRestoredElsewhereEqualsItsBackup()
    {
        var backedUp = Parse(BackedUpService);
        var restored = Parse("""
            {"apiVersion":"v1","kind":"Service",
             "metadata":{"name":"web","namespace":"shop-copy","uid":"u-2","resourceVersion":"3","generation":1,"creationTimestamp":"2026-02-02T00:00:00Z",
                         "labels":{"app":"web","kubebackup.io/backup-name":"nightly","kubebackup.io/restore-name":"r1"},
                         "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"},
                         "managedFields":[{"manager":"kubebackup"}]},
             "spec":{"type":"NodePort","clusterIP":"10.0.9.9","clusterIPs":["10.0.9.9"],"selector":{"app":"web"},
                     "ports":[{"name":"http","port":80,"targetPort":8080,"nodePort":31999}]},
             "status":{"loadBalancer":{"ingress":[{"ip":"1.2.3.4"}]}}}
            """);

        Assert.True(SameForComparison(backedUp, restored));
        Assert.Empty(ObjectDiff.Compare(ObjectNormalizer.ForComparison(backedUp), ObjectNormalizer.ForComparison(restored)));
    }

    [Fact]
    public void TheInputIsNotChangedAndARealDifferenceRemains()
    {
        var backedUp = Parse(BackedUpService);
        var changed = Parse(BackedUpService);
        changed["spec"]!["ports"]![0]!["port"] = 81;

        var normalized = ObjectNormalizer.ForComparison(backedUp);

        Assert.Equal("u-1", (string?)backedUp["metadata"]!["uid"]);
        Assert.NotNull(backedUp["status"]);
        Assert.Null(normalized["metadata"]!["namespace"]);
        Assert.Equal([new FieldChange("spec.ports[name=http].port", "80", "81")],
            ObjectDiff.Compare(normalized, ObjectNormalizer.ForComparison(changed)));
    }

    [Fact]
    public void AHeadlessServiceKeepsItsClusterIp()
    {
        var headless = Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"db"},"spec":{"clusterIP":"None","clusterIPs":["None"]}}""");
        var assigned = Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"db"},"spec":{"clusterIP":"10.0.0.1","clusterIPs":["10.0.0.1"]}}""");

        Assert.Equal("None", (string?)ObjectNormalizer.ForComparison(headless)["spec"]!["clusterIP"]);
        Assert.False(SameForComparison(headless, assigned));
    }

    public static TheoryData<string, string, string> ResetFields => new()
    {
        // kind, backed-up object, the same object as the server returns it after a restore
        { "metadata", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"a","uid":"1","resourceVersion":"1","generation":1,"creationTimestamp":"t1","selfLink":"/x","ownerReferences":[{"uid":"9"}],"annotations":{"deployment.kubernetes.io/revision":"3"}},"data":{"k":"v"}}""",
                      """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"b","uid":"2","resourceVersion":"8","generation":2,"creationTimestamp":"t2","deletionTimestamp":"t3","deletionGracePeriodSeconds":30,"managedFields":[{}],"labels":{}},"data":{"k":"v"}}""" },
        { "restore labels", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}""",
                            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{""" + $"\"{RestoreLabels.BackupName}\":\"b\",\"{RestoreLabels.RestoreName}\":\"r\"" + "}}}" },
        { "status", """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":2},"status":{"replicas":2}}""",
                    """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","annotations":{"deployment.kubernetes.io/revision":"1"}},"spec":{"replicas":2},"status":{"replicas":0}}""" },
        { "service", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"type":"LoadBalancer","clusterIP":"10.0.0.1","healthCheckNodePort":32000,"ports":[{"port":80,"nodePort":30001}]}}""",
                     """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"type":"LoadBalancer","clusterIP":"10.0.0.2","clusterIPs":["10.0.0.2"],"healthCheckNodePort":32001,"ports":[{"port":80,"nodePort":30002}]}}""" },
        { "job", """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j","labels":{"controller-uid":"a"}},"spec":{"selector":{"matchLabels":{"controller-uid":"a"}},"template":{"metadata":{"labels":{"job-name":"j","controller-uid":"a","batch.kubernetes.io/controller-uid":"a"}}}}}""",
                 """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j","labels":{"batch.kubernetes.io/controller-uid":"b"}},"spec":{"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"b"}},"template":{"metadata":{"labels":{"job-name":"j","controller-uid":"b","batch.kubernetes.io/controller-uid":"b"}}}}}""" },
        { "claim", """{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"p","annotations":{"pv.kubernetes.io/bind-completed":"yes","pv.kubernetes.io/bound-by-controller":"yes","volume.kubernetes.io/selected-node":"n1"}},"spec":{"volumeName":"pv-1","resources":{"requests":{"storage":"1Gi"}}}}""",
                   """{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"p"},"spec":{"volumeName":"pv-2","resources":{"requests":{"storage":"1Gi"}}}}""" },
        { "volume", """{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"v"},"spec":{"claimRef":{"namespace":"a","name":"p","uid":"1","resourceVersion":"4"}}}""",
                    """{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"v"},"spec":{"claimRef":{"namespace":"a","name":"p","uid":"2","resourceVersion":"9"}}}""" },
        { "namespace", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"}}""",
                       """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}""" },
        { "pod", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"nodeName":"node-1","containers":[{"name":"c","image":"i"}]}}""",
                 """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i"}]}}""" },
    };

    [Theory]
    [MemberData(nameof(ResetFields))]
    public void WhatARestoreResetsOrTheServerFillsIsNoDifference(string what, string backedUp, string restored)
    {
        var changes = ObjectDiff.Compare(ObjectNormalizer.ForComparison(Parse(backedUp)), ObjectNormalizer.ForComparison(Parse(restored)));

        Assert.True(changes.Count == 0, $"{what}: {string.Join("; ", changes)}");
        // The raw forms do differ: the normalizer is what makes them equal.
        Assert.NotEmpty(ObjectDiff.Compare(Parse(backedUp), Parse(restored)));
    }

    [Fact]
    public void ResetFieldsOfOtherKindsAreKept()
    {
        // nodeName matters only on pods, volumeName only on claims: a custom resource keeps them.
        var widget = Parse("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"nodeName":"n","volumeName":"v","selector":{"a":"b"}}}""");

        Assert.True(JsonNode.DeepEquals(widget["spec"], ObjectNormalizer.ForComparison(widget)["spec"]));
    }
}
