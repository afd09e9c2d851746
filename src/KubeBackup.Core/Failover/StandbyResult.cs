namespace KubeBackup.Core.Failover;

/// <summary>What <see cref="StandbyWorkloads"/> did (or, planned, would do) to one workload.</summary>
public enum StandbyAction
{
    /// <summary>The replicas were recorded in the annotation and the workload scaled to 0.</summary>
    ScaledDown,

    /// <summary>A count was recorded already and kept; the workload is (now) at 0.</summary>
    AlreadyStandby,

    /// <summary>The workload was left alone; <see cref="StandbyResult.Message"/> says why.</summary>
    Failed,
}

/// <summary>One Deployment or StatefulSet put on standby.</summary>
public sealed record StandbyResult
{
    public required string Namespace { get; init; }

    /// <summary><c>Deployment</c> or <c>StatefulSet</c>.</summary>
    public required string Kind { get; init; }

    public required string Name { get; init; }

    /// <summary>The count in the annotation after the run (the one recorded now or earlier); null when it could not be read.</summary>
    public int? RecordedReplicas { get; init; }

    /// <summary>spec.replicas before the run (1 when unset, as the API server defaults it).</summary>
    public int PreviousReplicas { get; init; }

    public StandbyAction Action { get; init; }

    /// <summary>The annotation written or read.</summary>
    public required string Annotation { get; init; }

    public string? Message { get; init; }

    /// <summary>The error id of a failed result.</summary>
    public string? ErrorId { get; init; }

    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
