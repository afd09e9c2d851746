using System.Text.Json.Nodes;
using KubeApiEmulator.Api;

namespace KubeApiEmulator.Manifests;

/// <summary>
/// Loads manifests into a cluster: CRDs first, then namespaces, then everything else, creating namespaces
/// that objects refer to but no manifest defines.
/// </summary>
public static class ManifestLoader
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static IEnumerable<string> Files(string path)
    {
        if (File.Exists(path))
            return [path];
        if (!Directory.Exists(path))
            throw new FileNotFoundException($"no manifest file or directory at {path}");
        return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
    }

    public static int LoadPath(ClusterAccess cluster, string path) =>
        Load(cluster, Files(path).SelectMany(f => YamlJson.ParseAll(File.ReadAllText(f))).ToList());

    public static int Load(ClusterAccess cluster, IEnumerable<JsonNode> documents)
    {
        var objects = documents.SelectMany(Flatten).ToList();
        var depths = OwnerDepths(objects);
        var ordered = objects.OrderBy(o => Rank(o.Text("kind"))).ThenBy(o => depths[o]).ToList();
        var count = 0;
        foreach (var obj in ordered)
        {
            var def = cluster.Resolve(obj.Text("apiVersion") ?? "", obj.Text("kind") ?? "");
            if (def.Namespaced)
            {
                var ns = obj.Text("metadata.namespace") ?? "default";
                obj.Metadata()["namespace"] = ns;
                if (cluster.Get("v1", "Namespace", null, ns) is null)
                    cluster.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
            }
            try
            {
                cluster.Put(obj);
            }
            catch (ApiException e)
            {
                throw new InvalidOperationException($"cannot load {obj.Text("kind")} {obj.Text("metadata.namespace")}/{obj.Text("metadata.name")}: {e.Message}", e);
            }
            count++;
        }
        return count;
    }

    /// <summary>How many owners (among the loaded objects, by uid) stand above each object, so owners load first.</summary>
    private static Dictionary<JsonObject, int> OwnerDepths(IReadOnlyList<JsonObject> objects)
    {
        var byUid = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var o in objects)
            if (o.Text("metadata.uid") is { Length: > 0 } uid)
                byUid.TryAdd(uid, o);
        var depths = new Dictionary<JsonObject, int>(ReferenceEqualityComparer.Instance);
        int Depth(JsonObject o, int guard)
        {
            if (depths.TryGetValue(o, out var known))
                return known;
            var depth = 0;
            if (guard < 16 && o.At("metadata.ownerReferences") is JsonArray refs)
                foreach (var r in refs)
                    if (r.Text("uid") is { } uid && byUid.TryGetValue(uid, out var owner) && !ReferenceEquals(owner, o))
                        depth = Math.Max(depth, Depth(owner, guard + 1) + 1);
            depths[o] = depth;
            return depth;
        }
        foreach (var o in objects)
            Depth(o, 0);
        return depths;
    }

    private static int Rank(string? kind) => kind switch
    {
        "CustomResourceDefinition" => 0,
        "Namespace" => 1,
        "StorageClass" or "PersistentVolume" => 2,
        _ => 3,
    };

    private static IEnumerable<JsonObject> Flatten(JsonNode node)
    {
        if (node is not JsonObject obj)
            yield break;
        if (obj.Text("kind") is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
        {
            foreach (var item in items.OfType<JsonObject>())
                yield return (JsonObject)item.DeepClone();
            yield break;
        }
        yield return obj;
    }
}
