using System.Globalization;
using System.Text.Json.Nodes;
using KubeBackup.Core.Restore.Transforms;

namespace KubeBackup.Core.Snapshots;

/// <summary>A VolumeSnapshot as Get-KbVolumeSnapshot shows it: where it is, what it is of, whether it can be restored from.</summary>
public sealed class VolumeSnapshotInfo
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>The claim it was taken of (spec.source.persistentVolumeClaimName, else the <c>source-pvc</c> label).</summary>
    public string? SourcePvc { get; init; }

    public string? SnapshotClass { get; init; }

    public bool ReadyToUse { get; init; }

    /// <summary>The size a volume restored from it needs, as the controller wrote it (<c>10Gi</c>).</summary>
    public string? RestoreSize { get; init; }

    /// <summary>When the object was created (metadata.creationTimestamp): what age and retention count from.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When the storage system cut the snapshot (status.creationTime); null until it has.</summary>
    public DateTimeOffset? CreationTime { get; init; }

    public string? ContentName { get; init; }

    /// <summary>The controller's status.error.message; null when it reports none.</summary>
    public string? Error { get; init; }

    /// <summary>The <c>backup-type</c> label (<c>daily</c>, <c>hourly</c>); null without it.</summary>
    public string? BackupType { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public bool IsTerminating { get; init; }

    public TimeSpan AgeAt(DateTimeOffset now) => now - Created;

    /// <summary>Ready, Failed, Deleting or Pending: the one word a table shows.</summary>
    public string State => IsTerminating ? "Deleting" : Error is not null ? "Failed" : ReadyToUse ? "Ready" : "Pending";

    public override string ToString() => $"{Namespace}/{Name}";

    public static VolumeSnapshotInfo FromJson(JsonObject snapshot)
    {
        var metadata = snapshot["metadata"] as JsonObject;
        var labels = Backup.RecordJsonParts.TextMap(metadata?["labels"]);
        var spec = snapshot["spec"] as JsonObject;
        var status = snapshot["status"] as JsonObject;
        return new VolumeSnapshotInfo
        {
            Namespace = Json.String(metadata?["namespace"]) ?? "",
            Name = Json.String(metadata?["name"]) ?? "",
            SourcePvc = Json.String(spec?["source"]?["persistentVolumeClaimName"]) ?? labels.GetValueOrDefault(SnapshotLabels.SourcePvc),
            SnapshotClass = Json.String(spec?["volumeSnapshotClassName"]),
            ReadyToUse = Json.IsTrue(status?["readyToUse"]),
            RestoreSize = status?["restoreSize"] is JsonValue size ? size.ToString() : null,
            Created = Time(metadata?["creationTimestamp"]) ?? DateTimeOffset.MinValue,
            CreationTime = Time(status?["creationTime"]),
            ContentName = Json.String(status?["boundVolumeSnapshotContentName"]),
            Error = Json.String(status?["error"]?["message"]),
            BackupType = labels.GetValueOrDefault(SnapshotLabels.BackupType),
            Labels = labels,
            IsTerminating = metadata?["deletionTimestamp"] is not null,
        };
    }

    private static DateTimeOffset? Time(JsonNode? node) =>
        Json.String(node) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUniversalTime()
            : null;
}
