using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Snapshots;

/// <summary>One claim's snapshot as New-KbVolumeSnapshot reports it.</summary>
public sealed record VolumeSnapshotResult
{
    public required string Namespace { get; init; }

    public required string PersistentVolumeClaim { get; init; }

    /// <summary>The snapshot's name; null when none could be named.</summary>
    public string? Snapshot { get; init; }

    public string? SnapshotClass { get; init; }

    public required SnapshotOutcome Status { get; init; }

    /// <summary>Why it failed, timed out or was skipped (the controller's own message for a failed snapshot).</summary>
    public string? Message { get; init; }

    /// <summary>The stable error id of a failure (<see cref="ErrorIds.SnapshotFailed"/>, <see cref="ErrorIds.SnapshotTimedOut"/>, ...).</summary>
    public string? ErrorId { get; init; }

    public string? RestoreSize { get; init; }

    public string? ContentName { get; init; }

    public bool Succeeded => Status is SnapshotOutcome.Created or SnapshotOutcome.Ready or SnapshotOutcome.Skipped;

    public override string ToString() => $"{Namespace}/{Snapshot ?? PersistentVolumeClaim}";
}
