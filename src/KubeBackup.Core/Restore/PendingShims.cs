// TEMPORARY: stand-ins for the helpers' Transforms and Compare APIs until their branches merge. Deleted at merge.
using System.Text.Json.Nodes;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Restore.Transforms
{
    public sealed class RestoreContext
    {
        public required string BackupName { get; init; }
        public required string RestoreName { get; init; }
        public IReadOnlyDictionary<string, string> NamespaceMapping { get; init; } = new Dictionary<string, string>();
        public Func<string, bool> RestoresStatusOf { get; init; } = _ => false;
        public bool PreserveNodePorts { get; init; }
        public Func<string, string, string?, string, bool> IsRestored { get; init; } = (_, _, _, _) => false;
        public string TargetNamespace(string original) => NamespaceMapping.TryGetValue(original, out var t) ? t : original;
    }

    public sealed record TransformResult(JsonObject? Object, string? SkipReason)
    {
        public static TransformResult Skip(string reason) => new(null, reason);
        public bool Skipped => Object is null;
    }

    public static class RestoreTransform
    {
        public static TransformResult Prepare(ItemKey key, JsonObject item, RestoreContext context)
        {
            var o = (JsonObject)item.DeepClone();
            var m = (JsonObject)o["metadata"]!;
            foreach (var f in new[] { "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "ownerReferences" }) m.Remove(f);
            o.Remove("status");
            if (key.Namespace is { } ns) m["namespace"] = context.TargetNamespace(ns);
            if (key.Resource == "namespaces") m["name"] = context.TargetNamespace(key.Name);
            if (key.Resource == "services" && (string?)o["spec"]?["clusterIP"] != "None") { ((JsonObject)o["spec"]!).Remove("clusterIP"); ((JsonObject)o["spec"]!).Remove("clusterIPs"); }
            var labels = m["labels"] as JsonObject ?? new JsonObject();
            m["labels"] = labels;
            labels[RestoreLabels.BackupName] = RestoreLabels.Value(context.BackupName);
            labels[RestoreLabels.RestoreName] = RestoreLabels.Value(context.RestoreName);
            return new(o, null);
        }

        public static string? TargetNamespace(ItemKey key, RestoreContext context) => key.Namespace is null ? null : context.TargetNamespace(key.Namespace);
    }
}

namespace KubeBackup.Core.Restore
{
    public static class RestorePriorities
    {
        public static IReadOnlyList<IReadOnlyList<string>> Tiers { get; } = [["customresourcedefinitions.apiextensions.k8s.io"], ["namespaces"]];
        public static int TierCount => Tiers.Count + 1;
        public static int TierOf(string group, string resource)
        {
            var full = group.Length == 0 ? resource : resource + "." + group;
            for (var i = 0; i < Tiers.Count; i++) if (Tiers[i].Contains(full)) return i;
            return Tiers.Count;
        }
    }
}

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
