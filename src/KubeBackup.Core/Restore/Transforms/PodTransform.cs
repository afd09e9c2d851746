using System.Text.Json.Nodes;

namespace KubeBackup.Core.Restore.Transforms;

/// <summary>Pods are scheduled anew, and lose what the source cluster's admission injected for their service account.</summary>
internal static class PodTransform
{
    private const string MirrorAnnotation = "kubernetes.io/config.mirror";
    private const string ApiAccessPrefix = "kube-api-access-";
    private static readonly string[] ContainerLists = ["containers", "initContainers"];

    /// <summary>A mirror pod is the API's view of a static pod; the kubelet of its node (not restored) makes it, and a
    /// restored copy would be an ordinary pod running, say, a second kube-apiserver.</summary>
    public static string? SkipReason(JsonObject pod) =>
        Json.Object(pod["metadata"], "annotations")?.ContainsKey(MirrorAnnotation) == true
            ? "mirror pod of a static pod; the kubelet of its node makes it"
            : null;

    public static void Prepare(JsonObject pod)
    {
        if (Json.Object(pod, "spec") is not { } spec)
        {
            return;
        }
        // A node of the source cluster; the scheduler picks one of the target's.
        spec.Remove("nodeName");
        // The API server rejects ephemeral containers on create; they are added to a running pod only.
        spec.Remove("ephemeralContainers");
        // Priority admission computes it from the class, and rejects a value that differs from the target's class.
        if (Json.String(spec["priorityClassName"]) is not null)
        {
            spec.Remove("priority");
        }
        var account = Json.String(spec["serviceAccountName"]) ?? Json.String(spec["serviceAccount"]) ?? "default";
        var removed = new HashSet<string>(StringComparer.Ordinal);
        if (Json.Array(spec, "volumes") is { } volumes)
        {
            Json.RemoveWhere(volumes, v =>
            {
                if (v is not JsonObject volume || Json.String(volume["name"]) is not { } name || !IsInjectedTokenVolume(volume, name, account))
                {
                    return false;
                }
                removed.Add(name);
                return true;
            });
        }
        if (removed.Count == 0)
        {
            return;
        }
        foreach (var list in ContainerLists)
        {
            foreach (var container in Json.Array(spec, list) ?? [])
            {
                if (Json.Array(container, "volumeMounts") is { } mounts)
                {
                    Json.RemoveWhere(mounts, m => Json.String(Json.Field(m, "name")) is { } name && removed.Contains(name));
                }
            }
        }
    }

    /// <summary>The projected token volume the ServiceAccount admission plugin adds (the target's adds its own), or a
    /// legacy volume of a generated token secret, which is not restored.</summary>
    private static bool IsInjectedTokenVolume(JsonObject volume, string name, string account) =>
        (name.StartsWith(ApiAccessPrefix, StringComparison.Ordinal) && volume["projected"] is JsonObject)
        || (Json.String(Json.Object(volume, "secret")?["secretName"]) is { } secret && ServiceAccountTokens.IsGeneratedName(account, secret));
}
