namespace KubeBackup.Core.Failover;

/// <summary>What failover does (or, planned, would do) to one Deployment or StatefulSet of the DR cluster.</summary>
public enum ScaleAction
{
    /// <summary>Scaled from 0 to its recorded count (or -DefaultReplicas); the annotation is removed, its job done.</summary>
    ScaleUp,

    /// <summary>Not on standby (no annotation, replicas above 0): left as it is, and verified with the others.</summary>
    Running,

    /// <summary>At 0 without an annotation and no -DefaultReplicas: left at 0, with a warning.</summary>
    Skipped,

    /// <summary>The annotation is not a non-negative integer, or the API server refused the scale.</summary>
    Failed,
}

/// <summary>One workload of a failover: its counts, what was done, and whether it became ready.</summary>
public sealed record WorkloadScale
{
    public required string Namespace { get; init; }

    /// <summary><c>Deployment</c> or <c>StatefulSet</c>.</summary>
    public required string Kind { get; init; }

    public required string Name { get; init; }

    /// <summary>spec.replicas before failover.</summary>
    public int CurrentReplicas { get; init; }

    /// <summary>The count failover sets (or keeps); null when it leaves the workload alone.</summary>
    public int? TargetReplicas { get; init; }

    /// <summary>Where the target came from: the annotation's name, <c>-DefaultReplicas</c>, or <c>spec.replicas</c>.</summary>
    public string? Source { get; init; }

    public ScaleAction Action { get; init; }

    /// <summary>Set by the verify step: ready, not ready, or null when not verified.</summary>
    public bool? Ready { get; init; }

    /// <summary>Ready replicas / desired, as the verify step last saw them (<c>2/3</c>).</summary>
    public string? Readiness { get; init; }

    public string? Message { get; init; }

    public string? ErrorId { get; init; }

    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
