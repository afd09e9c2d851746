namespace KubeBackup.Core.Backup;

/// <summary>The phases of a backup, with Velero's meaning.</summary>
public enum BackupPhase
{
    /// <summary>Being written; never stored in a committed record (the record is written last).</summary>
    InProgress,

    /// <summary>Every selected item was backed up.</summary>
    Completed,

    /// <summary>Committed, but some items or resource types could not be backed up; <see cref="BackupSummary.Problems"/> says which and why.</summary>
    PartiallyFailed,

    /// <summary>The backup could not be completed (storage failure, cancellation); its record says why and it holds no items.</summary>
    Failed,
}
