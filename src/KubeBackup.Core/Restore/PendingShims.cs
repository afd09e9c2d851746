// TEMPORARY: stand-ins for the helpers' Transforms and Compare APIs until their branches merge. Deleted at merge.
using System.Text.Json.Nodes;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Compare
{
    public sealed record FieldChange(string Path, string? Before, string? After);

    public static class ObjectNormalizer
    {
        public static JsonObject ForComparison(JsonObject obj)
        {
            var o = (JsonObject)obj.DeepClone();
            var m = (JsonObject)o["metadata"]!;
            foreach (var f in new[] { "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "ownerReferences", "namespace" }) m.Remove(f);
            (m["labels"] as JsonObject)?.Remove(KubeBackup.Core.Restore.RestoreLabels.BackupName);
            (m["labels"] as JsonObject)?.Remove(KubeBackup.Core.Restore.RestoreLabels.RestoreName);
            o.Remove("status");
            (o["spec"] as JsonObject)?.Remove("clusterIP");
            (o["spec"] as JsonObject)?.Remove("clusterIPs");
            return o;
        }
    }

    public static class ObjectDiff
    {
        public static IReadOnlyList<FieldChange> Compare(JsonNode? before, JsonNode? after) =>
            JsonNode.DeepEquals(before, after) ? [] : [new FieldChange("(object)", before?.ToJsonString(), after?.ToJsonString())];
    }
}
