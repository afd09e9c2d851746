using System.Text.Json.Nodes;

namespace KubeApiEmulator.Patching;

/// <summary>
/// The part of server-side apply this emulator models: fields a manager applied before and leaves out now
/// are removed (maps by key, keyed lists by merge key). Ownership shared with other managers is not tracked.
/// </summary>
public static class AppliedFields
{
    /// <summary>A strategic merge patch that deletes what previous has and current no longer has.</summary>
    public static JsonObject RemovalPatch(JsonObject previous, JsonObject current) => Removals(previous, current, "", root: true);

    private static JsonObject Removals(JsonObject previous, JsonObject current, string path, bool root)
    {
        var patch = new JsonObject();
        foreach (var (key, before) in previous)
        {
            if (root && key is "apiVersion" or "kind" || path == ".metadata" && key is "name" or "namespace")
                continue;
            if (!current.TryGetPropertyValue(key, out var now))
            {
                patch[key] = null;
                continue;
            }
            switch (before, now)
            {
                case (JsonObject b, JsonObject n):
                    var nested = Removals(b, n, path + "." + key, root: false);
                    if (nested.Count > 0)
                        patch[key] = nested;
                    break;
                case (JsonArray b, JsonArray n) when MergeKeys.For(path, key) is { } mergeKey:
                    var list = ListRemovals(b, n, mergeKey, path + "." + key + "[]");
                    if (list.Count > 0)
                        patch[key] = list;
                    break;
            }
        }
        return patch;
    }

    private static JsonArray ListRemovals(JsonArray previous, JsonArray current, string mergeKey, string elementPath)
    {
        var result = new JsonArray();
        foreach (var before in previous.OfType<JsonObject>())
        {
            var keyValue = before[mergeKey];
            var now = current.OfType<JsonObject>().FirstOrDefault(n => JsonNode.DeepEquals(n[mergeKey], keyValue));
            if (now is null)
            {
                result.Add(new JsonObject { ["$patch"] = "delete", [mergeKey] = keyValue?.DeepClone() });
                continue;
            }
            var nested = Removals(before, now, elementPath, root: false);
            if (nested.Count > 0)
            {
                nested[mergeKey] = keyValue?.DeepClone();
                result.Add(nested);
            }
        }
        return result;
    }
}
