using KubeBackup.Core.Operations;

namespace KubeBackup.Core.Repository;

/// <summary>How an opened repository behaves; none of this is part of the format.</summary>
public sealed record RepositoryOptions
{
    public IOperationSink Sink { get; init; } = NullOperationSink.Instance;

    /// <summary>A lock not refreshed for this long is stale and taken over by prune.</summary>
    public TimeSpan LockStaleAfter { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How often a holder rewrites its lock; well below <see cref="LockStaleAfter"/>.</summary>
    public TimeSpan LockRefreshInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to retry a conflicting lock before RepositoryLocked.</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.Zero;

    /// <summary>A pack is uploaded once its blobs reach this size.</summary>
    public int PackTargetSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>Packs uploaded at once by one writer; with the open pack this bounds a writer's buffered bytes.</summary>
    public int MaxConcurrentUploads { get; init; } = 2;
}

/// <summary>What <see cref="BackupRepository.InitializeAsync"/> creates.</summary>
public sealed record RepositoryInitOptions
{
    public RepositoryCompression Compression { get; init; } = RepositoryCompression.Zstd;

    /// <summary>The passphrase or key file; null creates an unencrypted repository.</summary>
    public RepositoryKey? Encryption { get; init; }

    /// <summary>PBKDF2-SHA256 iterations for a passphrase (OWASP's 2023 figure); lower only in tests.</summary>
    public int KdfIterations { get; init; } = 600_000;

    public ChunkerParameters Chunker { get; init; } = ChunkerParameters.Default;
}
