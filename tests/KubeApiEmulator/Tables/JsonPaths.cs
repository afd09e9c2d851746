using System.Text.Json;

namespace KubeApiEmulator.Tables;

/// <summary>Small helpers to read dotted paths from a parsed object.</summary>
public static class JsonPaths
{
    public static JsonElement? Find(JsonElement root, string dottedPath)
    {
        var current = root;
        foreach (var part in dottedPath.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out var next))
                return null;
            current = next;
        }
        return current;
    }

    public static string Text(JsonElement root, string dottedPath) =>
        Find(root, dottedPath) is { } e ? ScalarText(e) : "";

    public static long Number(JsonElement root, string dottedPath) =>
        Find(root, dottedPath) is { ValueKind: JsonValueKind.Number } e && e.TryGetInt64(out var v) ? v : 0;

    public static int Count(JsonElement root, string dottedPath) =>
        Find(root, dottedPath) switch
        {
            { ValueKind: JsonValueKind.Object } e => e.EnumerateObject().Count(),
            { ValueKind: JsonValueKind.Array } e => e.GetArrayLength(),
            _ => 0,
        };

    public static string ScalarText(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString() ?? "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => e.GetRawText(),
    };
}
