using System.Text.Json.Nodes;

namespace KubeApiEmulator.Patching;

/// <summary>
/// Strategic merge patch for built-in kinds: maps merge, null deletes, keyed lists merge by their merge key,
/// with the $patch (replace/delete), $retainKeys, $deleteFromPrimitiveList and $setElementOrder directives.
/// </summary>
public static class StrategicMergePatch
{
    public static JsonObject Apply(JsonObject original, JsonObject patch) =>
        MergeObject(original, patch, "") ?? new JsonObject();

    private static JsonObject? MergeObject(JsonObject original, JsonObject patch, string path)
    {
        switch ((string?)(patch["$patch"] as JsonValue))
        {
            case "replace":
                return Clean(patch);
            case "delete":
                return null;
        }
        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => (string?)k).ToHashSet();
            foreach (var key in original.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
                original.Remove(key);
        }
        foreach (var (key, value) in patch.ToList())
        {
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (original[field] is JsonArray list && value is JsonArray removals)
                {
                    foreach (var item in list.Where(i => removals.Any(r => JsonNode.DeepEquals(r, i))).ToList())
                        list.Remove(item);
                }
                continue;
            }
            if (key.StartsWith('$'))
                continue;
            original.TryGetPropertyValue(key, out var existing);
            switch (value)
            {
                case null:
                    original.Remove(key);
                    break;
                case JsonObject patchChild when existing is JsonObject originalChild:
                    var merged = MergeObject(originalChild, patchChild, path + "." + key);
                    if (merged is null)
                        original.Remove(key);
                    else if (!ReferenceEquals(merged, originalChild))
                        Set(original, key, merged);
                    break;
                case JsonObject patchChild:
                    var fresh = MergeObject(new JsonObject(), patchChild, path + "." + key);
                    if (fresh is null)
                        original.Remove(key);
                    else
                        Set(original, key, fresh);
                    break;
                case JsonArray patchList:
                    Set(original, key, MergeList(existing as JsonArray, patchList, path, key));
                    break;
                default:
                    Set(original, key, value.DeepClone());
                    break;
            }
        }
        return original;
    }

    /// <summary>Replaces in place, so keys keep their order as in the original object.</summary>
    private static void Set(JsonObject target, string key, JsonNode? value) => target[key] = value;

    private static JsonArray MergeList(JsonArray? original, JsonArray patch, string parentPath, string field)
    {
        if (patch.Any(e => e is JsonObject o && (string?)(o["$patch"] as JsonValue) == "replace"))
            return new JsonArray(patch.Where(e => !(e is JsonObject o && o.ContainsKey("$patch"))).Select(Clean).ToArray());
        var result = original is null ? new JsonArray() : new JsonArray(original.Select(e => e?.DeepClone()).ToArray());
        var mergeKey = MergeKeys.For(parentPath, field);
        if (mergeKey is not null && patch.All(e => e is JsonObject))
        {
            var elementPath = parentPath + "." + field + "[]";
            foreach (var element in patch.Cast<JsonObject>())
            {
                var keyValue = element[mergeKey];
                var match = result.OfType<JsonObject>().FirstOrDefault(o => JsonNode.DeepEquals(o[mergeKey], keyValue));
                var directive = (string?)(element["$patch"] as JsonValue);
                if (directive == "delete")
                {
                    if (match is not null)
                        result.Remove(match);
                    continue;
                }
                if (match is null)
                    result.Add(MergeObject(new JsonObject(), element, elementPath));
                else if (MergeObject(match, element, elementPath) is { } merged && !ReferenceEquals(merged, match))
                    result[result.IndexOf(match)] = merged;
            }
            return result;
        }
        if (MergeKeys.IsPrimitiveMerge(field))
        {
            foreach (var element in patch)
                if (!result.Any(e => JsonNode.DeepEquals(e, element)))
                    result.Add(element?.DeepClone());
            return result;
        }
        return new JsonArray(patch.Select(Clean).ToArray());
    }

    /// <summary>A copy without patch directives.</summary>
    private static JsonNode? Clean(JsonNode? node) => node switch
    {
        JsonObject o => Clean(o),
        JsonArray a => new JsonArray(a.Select(Clean).ToArray()),
        _ => node?.DeepClone(),
    };

    private static JsonObject Clean(JsonObject o)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in o)
            if (!key.StartsWith('$'))
                copy[key] = Clean(value);
        return copy;
    }
}
