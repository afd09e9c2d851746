using KubeBackup.Core.Backup;

namespace KubeBackup.Core.Schedules;

/// <summary>One schedule's part of a run: what ran, what was skipped and why, what expired.</summary>
public sealed record ScheduleRunResult
{
    public required string Schedule { get; init; }

    public required ScheduleAction Action { get; init; }

    public string? Reason { get; init; }

    /// <summary>The latest slot the run looked at.</summary>
    public DateTimeOffset? Slot { get; init; }

    /// <summary>The name of the slot's backup (made, or found made by another runner).</summary>
    public string? BackupName { get; init; }

    /// <summary>The backup this run made, when it made one (a Failed one included).</summary>
    public BackupSummary? Backup { get; init; }

    /// <summary>Slots missed since the last backed-up one, not run (catch-up runs the latest slot once).</summary>
    public int MissedSlots { get; init; }

    /// <summary>The schedule's backups deleted because their TTL had passed.</summary>
    public IReadOnlyList<string> Expired { get; init; } = [];
}
