namespace KubeBackup.Core.Failover;

public enum StandbySyncStatus
{
    /// <summary>The backup was restored in standby form and the namespaces marked with it.</summary>
    Synced,

    /// <summary>Every namespace was synced from this backup already; nothing was restored (-Force restores again).</summary>
    UpToDate,

    /// <summary>-WhatIf: what a sync would restore.</summary>
    Planned,

    /// <summary>Some items failed; the namespaces keep their previous mark, so failover does not count on this data.</summary>
    PartiallyFailed,

    Failed,
}

/// <summary>What Sync-KbStandby did: the backup it applied, the data age it achieved, the restore that did it.</summary>
public sealed class StandbySyncResult
{
    /// <summary>The DR cluster: context and server.</summary>
    public required string Cluster { get; init; }

    public string? StorageLocation { get; init; }

    public required string Backup { get; init; }

    /// <summary>When the applied backup started: the standby's data is from then.</summary>
    public DateTimeOffset DataTime { get; init; }

    /// <summary>The data age when the sync ended: the RPO a failover right now would have.</summary>
    public TimeSpan Rpo { get; init; }

    public StandbySyncStatus Status { get; init; }

    public required IReadOnlyList<string> Namespaces { get; init; }

    /// <summary>The restore that applied the backup (its record is in the storage location); null when none ran.</summary>
    public string? Restore { get; init; }

    /// <summary>Deployments and StatefulSets on standby in the namespaces after the sync.</summary>
    public int Workloads { get; init; }

    public string? Message { get; init; }

    public override string ToString() => $"{Backup} -> {Cluster}: {Status}";
}
