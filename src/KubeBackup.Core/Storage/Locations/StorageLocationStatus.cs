namespace KubeBackup.Core.Storage.Locations;

/// <summary>The phases Velero gives a BackupStorageLocation, with the same meaning.</summary>
public enum StorageLocationPhase
{
    Available,
    Unavailable,
}

/// <summary>What Test-KbStorageLocation found: whether the location can be listed, read, written and deleted from.</summary>
public sealed class StorageLocationStatus
{
    public required string Name { get; init; }

    public required string Url { get; init; }

    public required StorageLocationPhase Phase { get; init; }

    /// <summary>Why, in words: what worked, or what failed and how to fix it.</summary>
    public required string Message { get; init; }

    /// <summary>The stable id of the failure (StorageBucketNotFound, StorageAccessDenied, ...), or null.</summary>
    public string? ErrorId { get; init; }

    public bool CanList { get; init; }

    public bool CanRead { get; init; }

    /// <summary>Null for a read-only location: writing is not tried.</summary>
    public bool? CanWrite { get; init; }

    public bool? CanDelete { get; init; }

    /// <summary>Whether the location already holds a KubeBackup repository (kubebackup.json).</summary>
    public bool RepositoryFound { get; init; }

    /// <summary>Whether that repository is encrypted; null when there is none (or it could not be opened).</summary>
    public bool? Encrypted { get; init; }

    public bool ReadOnly { get; init; }

    public TimeSpan Elapsed { get; init; }
}
