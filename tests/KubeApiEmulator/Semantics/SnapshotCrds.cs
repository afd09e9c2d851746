using System.Text.Json.Nodes;

namespace KubeApiEmulator.Semantics;

/// <summary>The external-snapshotter CRDs (snapshot.storage.k8s.io/v1) that a cluster with CSI snapshots has installed.</summary>
public static class SnapshotCrds
{
    public const string Group = "snapshot.storage.k8s.io";

    public static IEnumerable<JsonObject> All()
    {
        yield return Crd("volumesnapshotclasses", "volumesnapshotclass", "VolumeSnapshotClass", "Cluster", ["vsclass", "vsclasses"], false,
            [("Driver", "string", ".driver"), ("DeletionPolicy", "string", ".deletionPolicy")]);
        yield return Crd("volumesnapshotcontents", "volumesnapshotcontent", "VolumeSnapshotContent", "Cluster", ["vsc", "vscs"], true,
            [("ReadyToUse", "boolean", ".status.readyToUse"), ("RestoreSize", "integer", ".status.restoreSize"),
             ("DeletionPolicy", "string", ".spec.deletionPolicy"), ("Driver", "string", ".spec.driver"),
             ("VolumeSnapshotClass", "string", ".spec.volumeSnapshotClassName"), ("VolumeSnapshot", "string", ".spec.volumeSnapshotRef.name")]);
        yield return Crd("volumesnapshots", "volumesnapshot", "VolumeSnapshot", "Namespaced", ["vs"], true,
            [("ReadyToUse", "boolean", ".status.readyToUse"), ("SourcePVC", "string", ".spec.source.persistentVolumeClaimName"),
             ("RestoreSize", "string", ".status.restoreSize"), ("SnapshotClass", "string", ".spec.volumeSnapshotClassName"),
             ("SnapshotContent", "string", ".status.boundVolumeSnapshotContentName")]);
    }

    private static JsonObject Crd(string plural, string singular, string kind, string scope, string[] shortNames, bool status,
        (string Name, string Type, string Path)[] columns)
    {
        var version = new JsonObject
        {
            ["name"] = "v1",
            ["served"] = true,
            ["storage"] = true,
            ["schema"] = new JsonObject
            {
                ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
            },
            ["additionalPrinterColumns"] = new JsonArray(columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name, ["type"] = c.Type, ["jsonPath"] = c.Path,
            }).ToArray()),
        };
        if (status)
            version["subresources"] = new JsonObject { ["status"] = new JsonObject() };
        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject
            {
                ["name"] = plural + "." + Group,
                ["annotations"] = new JsonObject { ["api-approved.kubernetes.io"] = "https://github.com/kubernetes-csi/external-snapshotter/pull/814" },
            },
            ["spec"] = new JsonObject
            {
                ["group"] = Group,
                ["names"] = new JsonObject
                {
                    ["plural"] = plural, ["singular"] = singular, ["kind"] = kind, ["listKind"] = kind + "List",
                    ["shortNames"] = new JsonArray(shortNames.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
                },
                ["scope"] = scope,
                ["versions"] = new JsonArray(version),
            },
        };
    }
}
