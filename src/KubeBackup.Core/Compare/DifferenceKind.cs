namespace KubeBackup.Core.Compare;

/// <summary>How an item differs, read from the reference backup towards the other side (the cluster or a second backup).</summary>
public enum DifferenceKind
{
    /// <summary>Only the other side has it.</summary>
    Added,

    /// <summary>Only the reference backup has it (or the cluster no longer serves its type).</summary>
    Removed,

    /// <summary>Both have it and it differs after normalization (<see cref="ObjectNormalizer"/>), or it could not be read.</summary>
    Changed,

    /// <summary>Both have it and it is the same; reported only when asked for.</summary>
    Unchanged,
}
