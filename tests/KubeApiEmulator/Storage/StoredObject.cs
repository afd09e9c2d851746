using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeApiEmulator.Storage;

/// <summary>
/// An immutable stored object: its serialized JSON (served as is) plus the few fields lists filter on,
/// so a list never parses objects it does not return.
/// </summary>
public sealed class StoredObject
{
    public StoredObject(string ns, string name, byte[] json, long resourceVersion, string uid, string apiVersion,
        IReadOnlyDictionary<string, string> labels)
    {
        Namespace = ns;
        Name = name;
        Json = json;
        ResourceVersion = resourceVersion;
        Uid = uid;
        ApiVersion = apiVersion;
        Labels = labels;
    }

    public string Namespace { get; }
    public string Name { get; }
    public byte[] Json { get; }
    public long ResourceVersion { get; }
    public string Uid { get; }
    public string ApiVersion { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>A fresh mutable copy of the object.</summary>
    public JsonObject ToNode() => (JsonNode.Parse(Json) as JsonObject)!;

    /// <summary>A read-only parsed view; dispose it.</summary>
    public JsonDocument ToDocument() => JsonDocument.Parse(Json);

    internal static StoredObject Probe(string ns, string name) =>
        new(ns, name, [], 0, "", "", EmptyLabels);

    internal static readonly IReadOnlyDictionary<string, string> EmptyLabels = new Dictionary<string, string>();
}

/// <summary>Orders objects by namespace then name, ordinal, as etcd keys sort.</summary>
public sealed class StoredObjectOrder : IComparer<StoredObject>
{
    public static readonly StoredObjectOrder Instance = new();

    public int Compare(StoredObject? x, StoredObject? y)
    {
        if (ReferenceEquals(x, y))
            return 0;
        if (x is null)
            return -1;
        if (y is null)
            return 1;
        var c = string.CompareOrdinal(x.Namespace, y.Namespace);
        return c != 0 ? c : string.CompareOrdinal(x.Name, y.Name);
    }
}
