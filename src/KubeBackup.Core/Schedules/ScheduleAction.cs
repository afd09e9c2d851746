namespace KubeBackup.Core.Schedules;

/// <summary>What Invoke-KbSchedule did with one schedule.</summary>
public enum ScheduleAction
{
    /// <summary>A backup of the latest slot was made (Completed or PartiallyFailed: it holds what could be read).</summary>
    Ran,

    /// <summary>Nothing to do: not due, paused, or another runner has the slot.</summary>
    Skipped,

    /// <summary>The slot's backup failed; it is recorded as Failed when the repository could be written, and the next slot runs.</summary>
    Failed,
}
