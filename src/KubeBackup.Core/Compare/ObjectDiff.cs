using System.Text;
using System.Text.Json.Nodes;

namespace KubeBackup.Core.Compare;

/// <summary>
/// The fields that differ between two JSON documents, as readable paths. Object keys are visited in ordinal order;
/// arrays whose elements are all objects with distinct <c>name</c> fields (containers, ports, env, volumes) are
/// matched by name, so a reordered or inserted element does not make every later one differ; other arrays are
/// compared by index. Where one side lacks a field or the two differ in shape, the whole value is one change. A JSON
/// null is the same as an absent field.
/// </summary>
public static class ObjectDiff
{
    public static IReadOnlyList<FieldChange> Compare(JsonNode? before, JsonNode? after)
    {
        var changes = new List<FieldChange>();
        Walk("", before, after, changes);
        return changes;
    }

    private static void Walk(string path, JsonNode? before, JsonNode? after, List<FieldChange> changes)
    {
        switch (before, after)
        {
            case (JsonObject b, JsonObject a):
                foreach (var key in b.Select(p => p.Key).Union(a.Select(p => p.Key)).Order(StringComparer.Ordinal))
                {
                    Walk(Member(path, key), b[key], a[key], changes);
                }
                return;
            case (JsonArray b, JsonArray a) when NamedElements(b) is { } bn && NamedElements(a) is { } an:
                foreach (var name in bn.Keys.Union(an.Keys))
                {
                    Walk($"{path}[name={name}]", bn.GetValueOrDefault(name), an.GetValueOrDefault(name), changes);
                }
                return;
            case (JsonArray b, JsonArray a):
                for (var i = 0; i < Math.Max(b.Count, a.Count); i++)
                {
                    Walk($"{path}[{i}]", i < b.Count ? b[i] : null, i < a.Count ? a[i] : null, changes);
                }
                return;
            default:
                if (!JsonNode.DeepEquals(before, after))
                {
                    changes.Add(new FieldChange(path, Text(before), Text(after)));
                }
                return;
        }
    }

    /// <summary>The elements by name, in order, when every element is an object with a distinct string name; else null.</summary>
    private static Dictionary<string, JsonNode>? NamedElements(JsonArray array)
    {
        if (array.Count == 0)
        {
            return null;
        }
        var named = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var element in array)
        {
            if (element is not JsonObject o || o["name"] is not JsonValue v || !v.TryGetValue<string>(out var name) || !named.TryAdd(name, o))
            {
                return null;
            }
        }
        return named;
    }

    // A JSON null counts as absent, as the API server treats it (creationTimestamp: null in pod templates).
    private static string? Text(JsonNode? node) => node is null ? null : node.ToJsonString();

    private static string Member(string path, string key)
    {
        if (IsIdentifier(key))
        {
            return path.Length == 0 ? key : $"{path}.{key}";
        }
        var quoted = new StringBuilder(path).Append("[\"");
        foreach (var c in key)
        {
            quoted.Append(c is '"' or '\\' ? "\\" + c : c.ToString());
        }
        return quoted.Append("\"]").ToString();
    }

    private static bool IsIdentifier(string key) =>
        key.Length > 0 && (char.IsAsciiLetter(key[0]) || key[0] == '_') && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
