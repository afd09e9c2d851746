using System.Text.Json.Nodes;

namespace KubeBackup.Core.Restore.Transforms;

/// <summary>
/// The Namespace object takes its mapped name; its finalizers and phase are the server's to set; the source cluster's
/// DR role marks (<see cref="Failover.StandbyMarks"/>) stay behind, as they say what that cluster is, not what it holds.
/// </summary>
internal static class NamespaceTransform
{
    // The API server sets this label to the namespace's name; a renamed namespace should not say its old name.
    private const string NameLabel = "kubernetes.io/metadata.name";

    public static void Prepare(JsonObject ns, string? originalName, RestoreContext context)
    {
        var metadata = Json.ObjectOrNew(ns, "metadata");
        if (originalName is not null)
        {
            var target = context.TargetNamespace(originalName);
            metadata["name"] = target;
            if (Json.Object(metadata, "labels") is { } labels && labels.ContainsKey(NameLabel))
            {
                labels[NameLabel] = target;
            }
        }
        if (Json.Object(metadata, "annotations") is { } annotations)
        {
            foreach (var mark in Failover.StandbyMarks.All)
            {
                annotations.Remove(mark);
            }
        }
        if (Json.Object(ns, "spec") is { } spec)
        {
            spec.Remove("finalizers");
            if (spec.Count == 0)
            {
                ns.Remove("spec");
            }
        }
        ns.Remove("status");
    }
}
