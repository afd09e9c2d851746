using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeApiEmulator.Resources;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Api;

/// <summary>
/// Converts between the stored form and the form of the group/version a request addressed: CRD versions
/// differ only in apiVersion; events.k8s.io/v1 Events are core Events with renamed fields.
/// </summary>
public static class Presenter
{
    private static readonly (string Core, string Events)[] EventFields =
    [
        ("involvedObject", "regarding"),
        ("message", "note"),
        ("source", "deprecatedSource"),
        ("firstTimestamp", "deprecatedFirstTimestamp"),
        ("lastTimestamp", "deprecatedLastTimestamp"),
        ("count", "deprecatedCount"),
        ("reportingComponent", "reportingController"),
    ];

    public static bool IsEventsGroup(ResourceDefinition def) => def.Group == "events.k8s.io";

    public static byte[] Bytes(ResourceDefinition def, StoredObject o)
    {
        if (o.ApiVersion == def.GroupVersion && !IsEventsGroup(def))
            return o.Json;
        return Serialize(Node(def, o));
    }

    public static JsonObject Node(ResourceDefinition def, StoredObject o) => ToServed(def, o.ToNode());

    public static JsonObject ToServed(ResourceDefinition def, JsonObject node)
    {
        if (IsEventsGroup(def))
            Rename(node, toEvents: true);
        node["apiVersion"] = def.GroupVersion;
        return node;
    }

    /// <summary>Brings a request body into the stored form.</summary>
    public static void ToStored(ResourceDefinition def, JsonObject node)
    {
        if (!IsEventsGroup(def))
            return;
        Rename(node, toEvents: false);
        node["apiVersion"] = "v1";
    }

    public static byte[] Serialize(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
            node.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Rename(JsonObject node, bool toEvents)
    {
        foreach (var (core, events) in EventFields)
        {
            var (from, to) = toEvents ? (core, events) : (events, core);
            if (node.Remove(from, out var value))
            {
                node.Remove(to);
                node[to] = value;
            }
        }
    }
}
