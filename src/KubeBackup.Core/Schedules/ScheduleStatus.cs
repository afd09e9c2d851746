using KubeBackup.Core.Backup;

namespace KubeBackup.Core.Schedules;

/// <summary>
/// Where a schedule stands (Get-KbSchedule): its last and next slot, its last backup and last successful one, and that
/// backup's age against the interval, the basis of RPO monitoring.
/// </summary>
public sealed record ScheduleStatus
{
    public required string Schedule { get; init; }

    public bool Paused { get; init; }

    /// <summary>The latest slot at or before now.</summary>
    public DateTimeOffset? LastSlot { get; init; }

    /// <summary>The first slot after now (also for a paused schedule: when it would run).</summary>
    public DateTimeOffset? NextRun { get; init; }

    /// <summary>The schedule's newest backup, whatever its phase.</summary>
    public BackupSummary? LastBackup { get; init; }

    /// <summary>The schedule's newest Completed backup.</summary>
    public BackupSummary? LastSuccessfulBackup { get; init; }

    /// <summary>Now minus the start of <see cref="LastSuccessfulBackup"/>: how much data a restore now would lose.</summary>
    public TimeSpan? LastSuccessfulAge { get; init; }

    /// <summary>Next slot minus latest slot; for irregular expressions (weekdays only) the current gap.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>
    /// Not paused, and the last successful backup is older than two intervals (one missed or failed slot is tolerated),
    /// or there is none and the schedule is older than two intervals.
    /// </summary>
    public bool IsLate { get; init; }
}
