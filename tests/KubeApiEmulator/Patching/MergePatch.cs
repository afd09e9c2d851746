using System.Text.Json.Nodes;

namespace KubeApiEmulator.Patching;

/// <summary>RFC 7386 JSON Merge Patch: objects merge, null removes, everything else replaces.</summary>
public static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
            return patch?.DeepClone();
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject.ToList())
        {
            if (value is null)
                result.Remove(key);
            else
            {
                result.TryGetPropertyValue(key, out var existing);
                var merged = Apply(existing, value);
                if (existing is not null && ReferenceEquals(existing, merged))
                    continue;
                result[key] = merged;
            }
        }
        return result;
    }
}
