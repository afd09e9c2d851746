using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeApiEmulator.Api;

/// <summary>Metadata-only responses (Accept: ...;as=PartialObjectMetadata[List];g=meta.k8s.io;v=v1).</summary>
public static class PartialMetadata
{
    public static bool WantedList(string? accept) =>
        accept is not null && accept.Contains("as=PartialObjectMetadataList", StringComparison.Ordinal);

    public static bool Wanted(string? accept) =>
        accept is not null && accept.Contains("as=PartialObjectMetadata", StringComparison.Ordinal);

    public static JsonObject Item(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        return new JsonObject
        {
            ["kind"] = "PartialObjectMetadata",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = JsonNode.Parse(doc.RootElement.GetProperty("metadata").GetRawText()),
        };
    }

    public static JsonObject List(IEnumerable<byte[]> items, ListResult result)
    {
        var meta = new JsonObject { ["resourceVersion"] = result.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (result.Continue is not null)
            meta["continue"] = result.Continue;
        if (result.RemainingItemCount is { } remaining)
            meta["remainingItemCount"] = remaining;
        return new JsonObject
        {
            ["kind"] = "PartialObjectMetadataList",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = meta,
            ["items"] = new JsonArray(items.Select(i => (JsonNode)Item(i)).ToArray()),
        };
    }
}
