using System.Text.Json.Nodes;

namespace KubeBackup.Core.Restore.Transforms;

/// <summary>
/// A Job's generated selector matches the source Job's uid. The API server generates a new one on create and rejects
/// a selector given without <c>spec.manualSelector</c>, and a template still labelled with the old uid would not match
/// the new selector.
/// </summary>
internal static class JobTransform
{
    private static readonly string[] UidLabels = ["controller-uid", "batch.kubernetes.io/controller-uid"];

    /// <param name="job">The copy being prepared.</param>
    /// <param name="originalUid">The uid the Job had in the source cluster, read before metadata was cleaned.</param>
    public static void Prepare(JsonObject job, string? originalUid)
    {
        if (Json.Object(job, "spec") is not { } spec || Json.IsTrue(spec["manualSelector"]))
        {
            return;
        }
        spec.Remove("selector");
        if (Json.Object(Json.Object(spec, "template"), "metadata") is { } template && Json.Object(template, "labels") is { } templateLabels)
        {
            foreach (var label in UidLabels)
            {
                templateLabels.Remove(label);
            }
        }
        // The server copied the template's labels to the Job itself; copies of the old uid there point at nothing.
        if (originalUid is not null && Json.Object(job["metadata"], "labels") is { } labels)
        {
            foreach (var label in UidLabels)
            {
                if (Json.String(labels[label]) == originalUid)
                {
                    labels.Remove(label);
                }
            }
        }
    }
}
