using System.Text.Json.Nodes;

namespace KubeBackup.Core.Restore.Transforms;

/// <summary>Lenient reads of backed-up objects: a field of an unexpected shape reads as absent rather than throwing,
/// as a backup may hold whatever an API server once accepted.</summary>
internal static class Json
{
    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static bool IsTrue(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    /// <summary>The field <paramref name="name"/> of <paramref name="parent"/> when it is an object (JsonNode's indexer
    /// throws on arrays and values).</summary>
    public static JsonNode? Field(JsonNode? parent, string name) => (parent as JsonObject)?[name];

    public static JsonObject? Object(JsonNode? parent, string name) => Field(parent, name) as JsonObject;

    public static JsonArray? Array(JsonNode? parent, string name) => Field(parent, name) as JsonArray;

    /// <summary>The child object <paramref name="name"/>, created (or replacing a value of another shape) when missing.</summary>
    public static JsonObject ObjectOrNew(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject child)
        {
            return child;
        }
        var created = new JsonObject();
        parent[name] = created;
        return created;
    }

    /// <summary>Removes the elements of <paramref name="array"/> that match (JsonArray.RemoveAll is net9+).</summary>
    public static void RemoveWhere(JsonArray array, Func<JsonNode?, bool> match)
    {
        for (var i = array.Count - 1; i >= 0; i--)
        {
            if (match(array[i]))
            {
                array.RemoveAt(i);
            }
        }
    }
}
