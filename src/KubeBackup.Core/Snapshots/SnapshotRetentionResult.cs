namespace KubeBackup.Core.Snapshots;

/// <summary>What Remove-KbExpiredSnapshot did with one selected snapshot.</summary>
public enum SnapshotRetentionOutcome
{
    /// <summary>Retention keeps it (the reason says which rule).</summary>
    Kept,

    /// <summary>Expired and deleted.</summary>
    Deleted,

    /// <summary>Expired; -WhatIf was given, so nothing was deleted.</summary>
    WouldDelete,

    /// <summary>Expired, but the deletion was declined at the -Confirm prompt.</summary>
    Skipped,

    /// <summary>Expired, but the API server refused the deletion (the error is reported too).</summary>
    Failed,
}

/// <summary>One selected snapshot, what retention did with it, and why.</summary>
public sealed record SnapshotRetentionResult
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public string? SourcePvc { get; init; }

    public DateTimeOffset Created { get; init; }

    public TimeSpan Age { get; init; }

    /// <summary>Ready, Pending, Failed or Deleting when it was selected.</summary>
    public string? State { get; init; }

    public required SnapshotRetentionOutcome Action { get; init; }

    public required string Reason { get; init; }

    public override string ToString() => $"{Namespace}/{Name}";

    public static SnapshotRetentionResult From(SnapshotRetentionDecision decision, SnapshotRetentionOutcome action, string? reason = null) => new()
    {
        Namespace = decision.Namespace,
        Name = decision.Name,
        SourcePvc = decision.SourcePvc,
        Created = decision.Created,
        Age = decision.Age,
        State = decision.Snapshot.State,
        Action = action,
        Reason = reason ?? decision.Reason,
    };
}
