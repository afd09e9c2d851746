using System.Text.Json.Nodes;
using KubeBackup.Core.Restore;

namespace KubeBackup.Core.Compare;

/// <summary>
/// An object as it should compare: without what a restore resets or the API server and controllers fill in (identity,
/// versions, timestamps, status, assigned IPs and node ports, controller uids, volume binding, the labels a restore
/// adds). A backed-up object and the same object restored compare equal; a restore decides "exists and equal" with it.
/// The namespace is dropped too: callers compare identity (namespace and name) separately.
/// </summary>
public static class ObjectNormalizer
{
    private static readonly string[] MetadataFields =
    [
        "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
        "selfLink", "ownerReferences", "managedFields", "namespace",
    ];

    private static readonly string[] Labels = [RestoreLabels.BackupName, RestoreLabels.RestoreName];

    private static readonly string[] Annotations = ["deployment.kubernetes.io/revision", "kubectl.kubernetes.io/last-applied-configuration"];

    private static readonly string[] JobControllerLabels = ["controller-uid", "batch.kubernetes.io/controller-uid"];

    private static readonly string[] ClaimBindAnnotations =
        ["pv.kubernetes.io/bind-completed", "pv.kubernetes.io/bound-by-controller", "volume.kubernetes.io/selected-node"];

    /// <summary>A normalized deep clone; <paramref name="obj"/> is not changed.</summary>
    public static JsonObject ForComparison(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var clone = obj.DeepClone().AsObject();
        clone.Remove("status");
        var metadata = clone["metadata"] as JsonObject;
        if (metadata is not null)
        {
            foreach (var field in MetadataFields)
            {
                metadata.Remove(field);
            }
            RemoveKeys(metadata, "labels", Labels);
            RemoveKeys(metadata, "annotations", Annotations);
        }
        var spec = clone["spec"] as JsonObject;
        switch (KindOf(clone))
        {
            case ("", "Service"):
                NormalizeService(spec);
                break;
            case ("batch", "Job"):
                spec?.Remove("selector");
                RemoveKeys(spec?["template"]?["metadata"] as JsonObject, "labels", JobControllerLabels);
                RemoveKeys(metadata, "labels", JobControllerLabels);
                break;
            case ("", "PersistentVolumeClaim"):
                RemoveKeys(metadata, "annotations", ClaimBindAnnotations);
                spec?.Remove("volumeName");
                break;
            case ("", "PersistentVolume"):
                if (spec?["claimRef"] is JsonObject claimRef)
                {
                    claimRef.Remove("uid");
                    claimRef.Remove("resourceVersion");
                }
                break;
            case ("", "Namespace"):
                spec?.Remove("finalizers");
                if (spec is { Count: 0 })
                {
                    clone.Remove("spec");
                }
                break;
            case ("", "Pod"):
                spec?.Remove("nodeName");
                break;
        }
        if (metadata is not null)
        {
            RemoveIfEmpty(metadata, "labels");
            RemoveIfEmpty(metadata, "annotations");
        }
        return clone;
    }

    private static void NormalizeService(JsonObject? spec)
    {
        if (spec is null)
        {
            return;
        }
        if ((string?)spec["clusterIP"] != "None")
        {
            spec.Remove("clusterIP");
            spec.Remove("clusterIPs");
        }
        spec.Remove("healthCheckNodePort");
        if (spec["ports"] is JsonArray ports)
        {
            foreach (var port in ports.OfType<JsonObject>())
            {
                port.Remove("nodePort");
            }
        }
    }

    /// <summary>The API group (empty for the core group) and kind.</summary>
    private static (string Group, string Kind) KindOf(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var a) ? a : "";
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var kind = obj["kind"] is JsonValue k && k.TryGetValue<string>(out var s) ? s : "";
        return (slash < 0 ? "" : apiVersion[..slash], kind);
    }

    private static void RemoveKeys(JsonObject? parent, string map, string[] keys)
    {
        if (parent?[map] is JsonObject values)
        {
            foreach (var key in keys)
            {
                values.Remove(key);
            }
        }
    }

    private static void RemoveIfEmpty(JsonObject parent, string map)
    {
        if (parent[map] is JsonObject { Count: 0 } || (parent.TryGetPropertyValue(map, out var value) && value is null))
        {
            parent.Remove(map);
        }
    }
}
