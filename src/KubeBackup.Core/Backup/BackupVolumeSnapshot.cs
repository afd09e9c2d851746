namespace KubeBackup.Core.Backup;

/// <summary>
/// A claim's CSI snapshot taken by a backup (New-KbBackup -SnapshotVolumes), recorded in the backup so a restore can
/// recreate the claim from it, in this cluster or another that reaches the same storage.
/// </summary>
public sealed record BackupVolumeSnapshot
{
    public required string Namespace { get; init; }

    public required string PersistentVolumeClaim { get; init; }

    /// <summary>The VolumeSnapshot's name (in the claim's namespace).</summary>
    public required string Snapshot { get; init; }

    public string? SnapshotClass { get; init; }

    /// <summary>The CSI driver that took it, needed to pre-provision its content in another cluster.</summary>
    public string? Driver { get; init; }

    /// <summary>The VolumeSnapshotContent bound to it, retained so the snapshot outlives its namespace.</summary>
    public string? Content { get; init; }

    /// <summary>The storage system's id of the snapshot: what a restore into another cluster points its content at.</summary>
    public string? SnapshotHandle { get; init; }

    public string? RestoreSize { get; init; }

    /// <summary>Ready to use when the backup finished; false for a snapshot that failed or timed out (see <see cref="Error"/>).</summary>
    public bool Ready { get; init; }

    public string? Error { get; init; }

    public override string ToString() => $"{Namespace}/{PersistentVolumeClaim} → {Snapshot}";
}
