namespace KubeBackup.Core.Schedules;

/// <summary>
/// Whether a schedule is due at one moment (<see cref="ScheduleDue.Decide"/>): the latest slot, the name its backup has,
/// and the slots missed since the last one backed up, which are not run (catch-up runs the latest slot once).
/// </summary>
public sealed record ScheduleDecision
{
    public required string Schedule { get; init; }

    public required bool IsDue { get; init; }

    /// <summary>Why it is not due; for a due schedule, what is caught up.</summary>
    public string? Reason { get; init; }

    /// <summary>The latest slot at or before now; null when the expression has never fired.</summary>
    public DateTimeOffset? Slot { get; init; }

    /// <summary>The name of the latest slot's backup.</summary>
    public string? BackupName { get; init; }

    /// <summary>Slots after the last backed-up slot (or the schedule's creation) and before the latest, with no backup.</summary>
    public int MissedSlots { get; init; }

    public DateTimeOffset? FirstMissedSlot { get; init; }
}
