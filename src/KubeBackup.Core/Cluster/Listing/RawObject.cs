using System.Text.Json.Nodes;

namespace KubeBackup.Core.Cluster.Listing;

/// <summary>
/// One listed object as bytes: its JSON as a GET would return it (<c>apiVersion</c> and <c>kind</c> first), without
/// <c>metadata.managedFields</c>, plus the metadata a backup decides on. Kept as bytes so a backup never builds a
/// document tree per object; <see cref="Parse"/> makes one where a caller needs it (pods with hooks).
/// </summary>
public sealed class RawObject
{
    public required ReadOnlyMemory<byte> Json { get; init; }

    /// <summary>Null for cluster-scoped objects.</summary>
    public string? Namespace { get; init; }

    public required string Name { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>The object has a deletionTimestamp: it is going away.</summary>
    public bool Deleting { get; init; }

    public JsonObject Parse() => JsonNode.Parse(Json.Span) as JsonObject ?? throw new InvalidOperationException("A listed object is not a JSON object.");
}
