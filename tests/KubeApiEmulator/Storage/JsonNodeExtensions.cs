using System.Text.Json.Nodes;

namespace KubeApiEmulator;

/// <summary>Terse access to nested fields of mutable objects.</summary>
public static class JsonNodeExtensions
{
    /// <summary>The child object at key, created when missing or not an object.</summary>
    public static JsonObject Child(this JsonObject obj, string key)
    {
        if (obj[key] is JsonObject child)
            return child;
        var created = new JsonObject();
        obj[key] = created;
        return created;
    }

    public static JsonNode? At(this JsonNode? node, string dottedPath)
    {
        foreach (var part in dottedPath.Split('.'))
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(part, out node))
                return null;
        }
        return node;
    }

    public static string? Text(this JsonNode? node, string dottedPath) =>
        node.At(dottedPath) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? Long(this JsonNode? node, string dottedPath)
    {
        if (node.At(dottedPath) is not JsonValue v)
            return null;
        if (v.TryGetValue<long>(out var l))
            return l;
        if (v.TryGetValue<int>(out var i))
            return i;
        if (v.TryGetValue<double>(out var d))
            return (long)d;
        return null;
    }

    public static bool Flag(this JsonNode? node, string dottedPath) =>
        node.At(dottedPath) is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    public static void SetDefault(this JsonObject obj, string key, JsonNode? value)
    {
        if (obj[key] is null)
            obj[key] = value;
    }

    public static JsonObject Metadata(this JsonObject obj) => obj.Child("metadata");

    public static bool SameAs(this JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);
}
