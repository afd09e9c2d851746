using KubeBackup.Core.Cluster.Listing;

namespace KubeBackup.Core.Restore;

/// <summary>How a restore runs; none of this changes what it restores.</summary>
public sealed record RestoreRunOptions
{
    /// <summary>The restore's name; null makes <c>&lt;backup&gt;-&lt;yyyyMMddHHmmss&gt;</c> (Velero's form).</summary>
    public string? Name { get; init; }

    /// <summary>The storage location's name (or URL) for the record and the output.</summary>
    public string? StorageLocation { get; init; }

    /// <summary>The target cluster, for the record: context name and server URL, never credentials.</summary>
    public string? Cluster { get; init; }

    /// <summary>
    /// Creates running at once within a tier. Each create waits for an etcd commit, so a real cluster's throughput grows
    /// with this until its own limits: kube-apiserver admits 200 mutating requests at once by default
    /// (--max-mutating-requests-inflight), and 32 leaves most of that to everyone else. Velero creates one at a time.
    /// </summary>
    public int MaxConcurrentItems { get; init; } = 32;

    /// <summary>Backup items read (and decrypted) at once.</summary>
    public int MaxConcurrentReads { get; init; } = 8;

    /// <summary>How long to wait for a restored CRD to become Established, and for a terminating target namespace to go.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(1);

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>How long recording the result may take after the restore was cancelled.</summary>
    public TimeSpan RecordTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;
}
