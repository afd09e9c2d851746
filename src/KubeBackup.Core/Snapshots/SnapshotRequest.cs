namespace KubeBackup.Core.Snapshots;

/// <summary>How claims are snapshotted: names, labels, class, and how long to wait for readiness.</summary>
public sealed record SnapshotRequest
{
    public string NameFormat { get; init; } = SnapshotNames.DefaultFormat;

    /// <summary>Too long names are cut and end in a hash instead of failing (names a backup makes of its own name).</summary>
    public bool FitLongNames { get; init; }

    /// <summary>The <c>backup-type</c> label; null leaves the label off (a backup's own snapshots, which retention must not touch).</summary>
    public string? BackupType { get; init; } = SnapshotLabels.DefaultBackupType;

    /// <summary>The class to use; null for the default class of each claim's driver.</summary>
    public string? SnapshotClass { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>At most this many creates and status reads at once.</summary>
    public int MaxConcurrency { get; init; } = 16;

    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;
}
