using System.Text.Json.Nodes;

namespace KubeApiEmulator.Patching;

/// <summary>RFC 6902 JSON Patch (add, remove, replace, move, copy, test) with RFC 6901 pointers.</summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode target, JsonNode patch)
    {
        if (patch is not JsonArray ops)
            throw new PatchException("json patch must be an array of operations");
        var root = target;
        foreach (var item in ops)
        {
            if (item is not JsonObject op)
                throw new PatchException("json patch operation must be an object");
            var name = (string?)op["op"] ?? throw new PatchException("json patch operation has no op");
            var path = (string?)op["path"] ?? throw new PatchException($"json patch {name} operation has no path");
            switch (name)
            {
                case "add":
                    root = Add(root, path, Value(op));
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    root = Add(root, path, Value(op));
                    break;
                case "move":
                {
                    var from = (string?)op["from"] ?? throw new PatchException("move operation has no from");
                    var moved = Get(root, from).DeepClone();
                    Remove(root, from);
                    root = Add(root, path, moved);
                    break;
                }
                case "copy":
                {
                    var from = (string?)op["from"] ?? throw new PatchException("copy operation has no from");
                    root = Add(root, path, Get(root, from).DeepClone());
                    break;
                }
                case "test":
                    if (!JsonNode.DeepEquals(Get(root, path), op["value"]))
                        throw new PatchException($"testing value {path} failed: test failed");
                    break;
                default:
                    throw new PatchException($"Unexpected kind: {name}");
            }
        }
        return root;
    }

    private static JsonNode? Value(JsonObject op) =>
        op.TryGetPropertyValue("value", out var v) ? v?.DeepClone() : throw new PatchException("operation has no value");

    private static string[] Split(string path)
    {
        if (path.Length == 0)
            return [];
        if (path[0] != '/')
            throw new PatchException($"invalid path: {path}");
        return path[1..].Split('/').Select(p => p.Replace("~1", "/").Replace("~0", "~")).ToArray();
    }

    private static JsonNode Get(JsonNode root, string path)
    {
        var node = root;
        foreach (var part in Split(path))
            node = Child(node, part) ?? throw new PatchException($"path does not exist: {path}");
        return node;
    }

    private static JsonNode? Child(JsonNode node, string part) => node switch
    {
        JsonObject o => o.TryGetPropertyValue(part, out var v) ? v : null,
        JsonArray a when int.TryParse(part, out var i) && i >= 0 && i < a.Count => a[i],
        _ => null,
    };

    private static (JsonNode Parent, string Last) Parent(JsonNode root, string path)
    {
        var parts = Split(path);
        if (parts.Length == 0)
            throw new PatchException("path must not be the root");
        var node = root;
        foreach (var part in parts[..^1])
            node = Child(node, part) ?? throw new PatchException($"doc is missing path: \"{path}\": missing value");
        return (node, parts[^1]);
    }

    private static JsonNode Add(JsonNode root, string path, JsonNode? value)
    {
        if (path.Length == 0)
            return value ?? throw new PatchException("cannot replace the root with null");
        var (parent, last) = Parent(root, path);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new PatchException($"add operation does not apply: doc is missing path: \"{path}\": missing value");
        }
        return root;
    }

    private static void Remove(JsonNode root, string path)
    {
        var (parent, last) = Parent(root, path);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw new PatchException($"remove operation does not apply: doc is missing path: \"{path}\": missing value");
        }
    }
}
