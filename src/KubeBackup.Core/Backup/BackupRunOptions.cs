namespace KubeBackup.Core.Backup;

/// <summary>How a backup runs; none of this changes what it contains.</summary>
public sealed record BackupRunOptions
{
    /// <summary>The backup's name; null generates one that sorts by time (<see cref="BackupNames"/>).</summary>
    public string? Name { get; init; }

    /// <summary>The storage location's name (or URL) for the record and the output.</summary>
    public string? StorageLocation { get; init; }

    /// <summary>The cluster, for the record: context name and server URL, never credentials.</summary>
    public string? Cluster { get; init; }

    /// <summary>Lists running at once. The API server's own limits (APF) make more than a few counter-productive.</summary>
    public int MaxConcurrentLists { get; init; } = 4;

    /// <summary>Items serialized, compressed and encrypted at once.</summary>
    public int MaxConcurrentItems { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Pods whose hooks run at once.</summary>
    public int MaxConcurrentHooks { get; init; } = 4;

    public int PageSize { get; init; } = 500;

    public KubeBackup.Core.Cluster.Listing.RetryPolicy ListRetry { get; init; } = KubeBackup.Core.Cluster.Listing.RetryPolicy.Default;

    /// <summary>How long recording a failure may take after the backup was cancelled.</summary>
    public TimeSpan FailureRecordTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;
}
