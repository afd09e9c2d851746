using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Backup;

/// <summary>
/// A backup as users see it (New-KbBackup's and Get-KbBackup's output): phase, counts, times, sizes, expiration, parent,
/// and every warning and error. Read from and written to the record (<c>backup.json</c>) by <see cref="BackupRecordJson"/>.
/// </summary>
public sealed class BackupSummary
{
    public required string Name { get; init; }

    public required BackupPhase Phase { get; init; }

    /// <summary>The storage location it is in (its saved name, or the URL when it was given as one).</summary>
    public string? StorageLocation { get; init; }

    public DateTimeOffset Started { get; init; }

    /// <summary>When the record was committed.</summary>
    public DateTimeOffset Completed { get; init; }

    public TimeSpan Duration => Completed - Started;

    /// <summary>When the backup may be deleted by <c>Remove-KbBackup -Expired</c> (Started + TTL).</summary>
    public DateTimeOffset Expires { get; init; }

    public bool IsExpired(DateTimeOffset now) => Expires <= now;

    /// <summary>The backup it was incremental to (the newest earlier backup of the same scope); null for the first.</summary>
    public string? Parent { get; init; }

    /// <summary>Items selected for the backup (those whose list or hook failed included).</summary>
    public long ItemsTotal { get; init; }

    public long ItemsBackedUp { get; init; }

    public int Warnings => Problems.Count(p => p.Severity == BackupProblemSeverity.Warning);

    public int Errors => Problems.Count(p => p.Severity == BackupProblemSeverity.Error);

    /// <summary>Bytes of the backed-up items before compression and dedup: what a restore reads.</summary>
    public long Size { get; init; }

    /// <summary>Bytes this backup added to the store (compressed, encrypted, not already held): its real cost.</summary>
    public long SizeAdded { get; init; }

    /// <summary>Why the backup failed or partially failed, in one sentence; null when it completed.</summary>
    public string? FailureReason { get; init; }

    public IReadOnlyList<BackupProblem> Problems { get; init; } = [];

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public required BackupSpec Spec { get; init; }

    /// <summary>The cluster it was taken from: the context name and server URL (no credentials).</summary>
    public string? Cluster { get; init; }

    /// <summary>Counts of backed-up items by resource type (<c>deployments.apps</c> = 12).</summary>
    public IReadOnlyDictionary<string, long> ResourceCounts { get; init; } = new Dictionary<string, long>();

    /// <summary>The CSI snapshots the backup took of its claims (with -SnapshotVolumes), failed ones included.</summary>
    public IReadOnlyList<BackupVolumeSnapshot> VolumeSnapshots { get; init; } = [];

    /// <summary>The repository's own view (blob counts, packs); null for a backup that is not committed.</summary>
    public BackupStats? Stats { get; init; }

    public override string ToString() => Name;
}
