namespace KubeBackup.Core.Failover;

/// <summary>The steps of a failover, in the order they run.</summary>
public enum FailoverStepName
{
    /// <summary>(a) The DR cluster answers, the namespaces exist, every standby annotation is readable.</summary>
    CheckDrCluster,

    /// <summary>(b) The standby's data is recent enough: built in (-MaxDataLoss) or -ReplicationCheck.</summary>
    CheckReplication,

    /// <summary>(g, run third) The primary, when it answers, is put on standby so both sides never serve at once (-FencePrimary).</summary>
    FencePrimary,

    /// <summary>(c) -PromoteStorage: make the replicated storage writable.</summary>
    PromoteStorage,

    /// <summary>(d) Scale the DR workloads back to their recorded counts, concurrently.</summary>
    ScaleUp,

    /// <summary>(e) -UpdateTraffic: DNS, load balancer.</summary>
    UpdateTraffic,

    /// <summary>(f) Wait until every scaled workload is ready, up to -Timeout.</summary>
    Verify,
}

public enum FailoverStepStatus
{
    /// <summary>Not reached: an earlier step failed or the failover was stopped.</summary>
    NotRun,

    /// <summary>-WhatIf: what the step would do.</summary>
    Planned,

    Succeeded,

    /// <summary>Not asked for (no script block, no -FencePrimary), before -ResumeFrom, or nothing to do.</summary>
    Skipped,

    Failed,

    /// <summary>Ctrl+C while it ran.</summary>
    Stopped,
}

/// <summary>One step of a failover report.</summary>
public sealed class FailoverStep
{
    public required FailoverStepName Name { get; init; }

    public FailoverStepStatus Status { get; set; }

    public DateTimeOffset? Started { get; set; }

    public TimeSpan? Duration { get; set; }

    /// <summary>What the step found or did, or why it failed or was skipped.</summary>
    public string? Message { get; set; }

    public string? ErrorId { get; set; }

    public override string ToString() => $"{Name}: {Status}";
}
