namespace KubeBackup.Core.Snapshots;

/// <summary>
/// A claim's snapshot before it is created: its name and class, or why it cannot be taken. What -WhatIf shows and
/// what <see cref="SnapshotTaker.TakeAsync"/> creates.
/// </summary>
public sealed record SnapshotPlan
{
    public required ClaimInfo Claim { get; init; }

    public string? Name { get; init; }

    public string? SnapshotClass { get; init; }

    /// <summary>Why no snapshot can be taken of the claim; null when one can.</summary>
    public string? Problem { get; init; }

    public string? ProblemId { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    public override string ToString() => Problem is null ? $"VolumeSnapshot {Claim.Namespace}/{Name} of claim {Claim.Name} (class {SnapshotClass})" : $"{Claim}: {Problem}";
}
