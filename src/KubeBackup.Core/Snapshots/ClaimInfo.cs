using System.Text.Json.Nodes;
using KubeBackup.Core.Restore.Transforms;

namespace KubeBackup.Core.Snapshots;

/// <summary>What snapshotting needs to know of a PersistentVolumeClaim.</summary>
public sealed record ClaimInfo
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string? StorageClass { get; init; }

    /// <summary>The bound volume; null while the claim is Pending.</summary>
    public string? VolumeName { get; init; }

    public string? Phase { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public override string ToString() => $"{Namespace}/{Name}";

    public static ClaimInfo FromJson(JsonObject claim)
    {
        var metadata = claim["metadata"] as JsonObject;
        return new ClaimInfo
        {
            Namespace = Json.String(metadata?["namespace"]) ?? "",
            Name = Json.String(metadata?["name"]) ?? "",
            StorageClass = Json.String(claim["spec"]?["storageClassName"]),
            VolumeName = Json.String(claim["spec"]?["volumeName"]) is { Length: > 0 } volume ? volume : null,
            Phase = Json.String(claim["status"]?["phase"]),
            Labels = Backup.RecordJsonParts.TextMap(metadata?["labels"]),
        };
    }
}
