namespace KubeBackup.Core.Failover;

/// <summary>
/// What a failover did: every step with its status and duration, the workloads, the changes made, the measured RTO
/// (start to every workload ready) and RPO (the age of the standby's data), and, on failure, how to resume.
/// </summary>
public sealed class FailoverReport
{
    public required string DrContext { get; init; }

    public string? PrimaryContext { get; init; }

    public required IReadOnlyList<string> Namespaces { get; init; }

    /// <summary>-WhatIf: the report is the plan; nothing was changed.</summary>
    public bool WhatIf { get; init; }

    public DateTimeOffset Started { get; init; }

    public DateTimeOffset Completed { get; set; }

    public TimeSpan Duration => Completed - Started;

    public required IReadOnlyList<FailoverStep> Steps { get; init; }

    public IReadOnlyList<WorkloadScale> Workloads { get; set; } = [];

    /// <summary>Every change made to a cluster or by a user step, in order: what to undo or to know when resuming.</summary>
    public List<string> Changes { get; } = [];

    /// <summary>True when every step succeeded or was skipped as asked.</summary>
    public bool Succeeded => !WhatIf && Steps.All(s => s.Status is FailoverStepStatus.Succeeded or FailoverStepStatus.Skipped);

    /// <summary>The step that failed or was stopped, if any.</summary>
    public FailoverStep? FailedStep => Steps.FirstOrDefault(s => s.Status is FailoverStepStatus.Failed or FailoverStepStatus.Stopped);

    /// <summary>Recovery time: from the start until every scaled workload was ready; null unless the failover succeeded.</summary>
    public TimeSpan? Rto { get; set; }

    /// <summary>Recovery point: the age of the standby's data when the failover started (from the replication check); null when unknown.</summary>
    public TimeSpan? Rpo { get; set; }

    /// <summary>The backup the standby was last synced from, when the built-in replication check read it.</summary>
    public string? StandbyBackup { get; set; }

    /// <summary>The workloads that were not ready when the verify step gave up.</summary>
    public IReadOnlyList<string> NotReady => Workloads.Where(w => w.Ready == false).Select(w => $"{w} ({w.Readiness})").ToList();

    /// <summary>The tier of the seed's table 7.2 the run was measured against (-Tier).</summary>
    public DrTier? Tier { get; init; }

    /// <summary>Whether the RPO met the tier's target; null without -Tier or an unknown RPO.</summary>
    public bool? RpoMet => Tier is { } tier && Rpo is { } rpo ? tier.RpoMet(rpo) : null;

    /// <summary>Whether the RTO met the tier's target; null without -Tier or when the failover did not finish.</summary>
    public bool? RtoMet => Tier is { } tier && Rto is { } rto ? tier.RtoMet(rto) : null;

    /// <summary>After a failure or Ctrl+C: what was changed and the command line that resumes.</summary>
    public string? Resume { get; set; }

    public override string ToString() =>
        $"Failover to {DrContext}: {(WhatIf ? "plan" : Succeeded ? "succeeded" : $"stopped at {FailedStep?.Name}")}";
}
