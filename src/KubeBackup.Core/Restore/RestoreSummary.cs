using KubeBackup.Core.Backup;

namespace KubeBackup.Core.Restore;

/// <summary>
/// A restore as users see it (Restore-KbBackup's and Get-KbRestore's output): the backup it read, the target cluster,
/// phase, counts per outcome, times and problems. Stored as <c>restores/&lt;name&gt;/restore.json</c>
/// (<see cref="RestoreRecordJson"/>), with the per-item results beside it.
/// </summary>
public sealed class RestoreSummary
{
    public required string Name { get; init; }

    public required string BackupName { get; init; }

    public required RestorePhase Phase { get; init; }

    /// <summary>The storage location of the backup (and of this record).</summary>
    public string? StorageLocation { get; init; }

    /// <summary>The target cluster: context name and server URL (no credentials).</summary>
    public string? Cluster { get; init; }

    public DateTimeOffset Started { get; init; }

    public DateTimeOffset Completed { get; init; }

    public TimeSpan Duration => Completed - Started;

    /// <summary>Items of the backup the restore selected.</summary>
    public long ItemsTotal { get; init; }

    public long Created { get; init; }

    public long Updated { get; init; }

    public long Skipped { get; init; }

    public long Failed { get; init; }

    public int Warnings => Problems.Count(p => p.Severity == BackupProblemSeverity.Warning);

    public int Errors => Problems.Count(p => p.Severity == BackupProblemSeverity.Error);

    /// <summary>Why the restore failed or partially failed, in one sentence; null when it completed.</summary>
    public string? FailureReason { get; init; }

    public IReadOnlyList<BackupProblem> Problems { get; init; } = [];

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public required RestoreSpec Spec { get; init; }

    public override string ToString() => Name;
}
