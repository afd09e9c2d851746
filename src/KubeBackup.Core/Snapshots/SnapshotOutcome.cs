namespace KubeBackup.Core.Snapshots;

/// <summary>What became of one claim's snapshot.</summary>
public enum SnapshotOutcome
{
    /// <summary>Created; not waited for.</summary>
    Created,

    /// <summary>Created and ready to use.</summary>
    Ready,

    /// <summary>Not created (no snapshot class, claim not bound, refused), or the controller reported an error.</summary>
    Failed,

    /// <summary>Created, but not ready to use within the timeout.</summary>
    TimedOut,

    /// <summary>Left alone: a snapshot of that name exists already.</summary>
    Skipped,
}
