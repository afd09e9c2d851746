namespace KubeBackup.Core.Restore;

/// <summary>The phases of a restore, with Velero's meaning.</summary>
public enum RestorePhase
{
    /// <summary>Every selected item was created, updated or deliberately skipped.</summary>
    Completed,

    /// <summary>Some items failed; each is named with its reason in the items of the record.</summary>
    PartiallyFailed,

    /// <summary>The restore stopped (cancellation, the cluster unreachable, the backup unreadable); the record says how far it got.</summary>
    Failed,
}
