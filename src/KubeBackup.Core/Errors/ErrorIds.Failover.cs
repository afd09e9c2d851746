namespace KubeBackup.Core.Errors;

public static partial class ErrorIds
{
    /// <summary>A workload's recorded replica annotation (<c>original-replicas</c>) is not a non-negative integer; the workload is left alone.</summary>
    public const string StandbyAnnotationInvalid = nameof(StandbyAnnotationInvalid);

    /// <summary>A namespace to put on standby does not exist.</summary>
    public const string NamespaceNotFound = nameof(NamespaceNotFound);

    /// <summary>The API server refused to scale a workload down.</summary>
    public const string StandbyScaleFailed = nameof(StandbyScaleFailed);

    /// <summary>The API server refused to scale a workload up during failover.</summary>
    public const string FailoverScaleFailed = nameof(FailoverScaleFailed);

    /// <summary>A failover step failed (the DR cluster unreachable, the replication check, a user step, the fence); the failover stopped there.</summary>
    public const string FailoverStepFailed = nameof(FailoverStepFailed);

    /// <summary>The standby's data is older than -MaxDataLoss, or its age is unknown while -MaxDataLoss asks for it.</summary>
    public const string DataLossExceeded = nameof(DataLossExceeded);

    /// <summary>Scaled workloads did not all become ready within -Timeout.</summary>
    public const string WorkloadsNotReady = nameof(WorkloadsNotReady);

    /// <summary>The failover was stopped by the user (Ctrl+C) part way.</summary>
    public const string FailoverStopped = nameof(FailoverStopped);

    /// <summary>The backup to sync holds no namespace the sync asked for.</summary>
    public const string StandbyNothingToSync = nameof(StandbyNothingToSync);

    /// <summary>The restore of a standby sync failed or partially failed; the standby keeps its previous sync mark.</summary>
    public const string StandbySyncFailed = nameof(StandbySyncFailed);

    /// <summary>A namespace to sync serves since a failover (kubebackup.io/promoted); Set-KbStandby makes it a standby again.</summary>
    public const string StandbyPromoted = nameof(StandbyPromoted);

    /// <summary>-FencePrimary was given without -PrimaryContext.</summary>
    public const string PrimaryContextRequired = nameof(PrimaryContextRequired);
}
