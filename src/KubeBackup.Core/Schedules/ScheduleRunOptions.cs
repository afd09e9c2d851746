using KubeBackup.Core.Backup;

namespace KubeBackup.Core.Schedules;

/// <summary>How Invoke-KbSchedule runs; the schedules themselves say what and when.</summary>
public sealed record ScheduleRunOptions
{
    /// <summary>The time slots are computed at and backups are stamped with. Tests inject it.</summary>
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;

    /// <summary>
    /// How each backup runs (storage location name, cluster, concurrency); Name and Clock are set per slot. Its
    /// StorageLocation names the location in the records.
    /// </summary>
    public BackupRunOptions Backup { get; init; } = new();

    /// <summary>Delete the schedules' expired backups after running them, and prune when any was deleted.</summary>
    public bool Expire { get; init; } = true;

    /// <summary>
    /// When two runners start one slot at the same moment, the repository's lock protocol may make both back off; each
    /// then tries again after a random pause up to this long, so one of them takes the slot.
    /// </summary>
    public TimeSpan ContentionPause { get; init; } = TimeSpan.FromSeconds(1);

    public int ContentionAttempts { get; init; } = 4;
}
