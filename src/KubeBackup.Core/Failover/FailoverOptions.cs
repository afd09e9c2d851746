using KubeBackup.Core.Cluster;

namespace KubeBackup.Core.Failover;

/// <summary>What <see cref="FailoverRunner"/> fails over, and the user's own steps.</summary>
public sealed record FailoverOptions
{
    /// <summary>Opens the DR cluster's connection; a failure (unknown context) fails the first step, before any change.</summary>
    public required Func<ClusterConnection> OpenDr { get; init; }

    /// <summary>Opens the primary's connection, for -FencePrimary; null when no primary was named.</summary>
    public Func<ClusterConnection>? OpenPrimary { get; init; }

    public required string DrContext { get; init; }

    public string? PrimaryContext { get; init; }

    public required IReadOnlyList<string> Namespaces { get; init; }

    /// <summary>Put before <c>original-replicas</c>, as for Set-KbStandby.</summary>
    public string? AnnotationPrefix { get; init; }

    /// <summary>Replicas for workloads at 0 without the annotation; null leaves them at 0 with a warning.</summary>
    public int? DefaultReplicas { get; init; }

    /// <summary>The most data loss accepted: the built-in check fails when the standby's data is older (or of unknown age).</summary>
    public TimeSpan? MaxDataLoss { get; init; }

    /// <summary>
    /// A replication check of the user's own instead of the built-in one. It throws to fail the step, and returns the
    /// data age it measured (compared with <see cref="MaxDataLoss"/>) or null.
    /// </summary>
    public Func<CancellationToken, Task<TimeSpan?>>? ReplicationCheck { get; init; }

    /// <summary>Makes the replicated storage writable; throws to fail the step.</summary>
    public Func<CancellationToken, Task>? PromoteStorage { get; init; }

    /// <summary>Moves the traffic (DNS, load balancer); throws to fail the step.</summary>
    public Func<CancellationToken, Task>? UpdateTraffic { get; init; }

    /// <summary>Scale the primary's workloads to 0 (as Set-KbStandby) when it answers.</summary>
    public bool FencePrimary { get; init; }

    /// <summary>Skip the steps before this one (they were done by an earlier run); the DR check always runs.</summary>
    public FailoverStepName? ResumeFrom { get; init; }

    /// <summary>How long the verify step waits for the workloads to become ready.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a cluster may take to answer the reachability probe.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public DrTier? Tier { get; init; }

    /// <summary>Workloads scaled at once.</summary>
    public int MaxConcurrentScales { get; init; } = 16;

    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;
}
