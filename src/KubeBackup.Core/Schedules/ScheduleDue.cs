using KubeBackup.Core.Backup;
using KubeBackup.Core.Restore;

namespace KubeBackup.Core.Schedules;

/// <summary>
/// Due computation, pure: a schedule, the backups in its location and the time in, a decision out. A slot is done when
/// a backup of its name exists in any phase: a failed slot's name is taken, so it is recorded once and not retried
/// forever, and the next slot runs as usual.
/// </summary>
public static class ScheduleDue
{
    // Missed slots are counted, not listed: an hourly schedule left alone for a year has 8,760.
    private const int MissedCountLimit = 100_000;

    /// <summary>The schedule's backups: those labelled with its name (<see cref="RestoreRunner.ScheduleLabel"/>).</summary>
    public static IEnumerable<BackupSummary> BackupsOf(string schedule, IEnumerable<BackupSummary> backups) =>
        backups.Where(b => b.Labels.TryGetValue(RestoreRunner.ScheduleLabel, out var name) && name == schedule);

    public static ScheduleDecision Decide(BackupSchedule schedule, IReadOnlyCollection<BackupSummary> backups, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(backups);
        var cron = schedule.Validate();
        var slot = cron.LatestSlot(now);
        if (slot is null)
        {
            return new ScheduleDecision { Schedule = schedule.Name, IsDue = false, Reason = $"'{cron}' has no slot before {now:u}." };
        }
        var name = ScheduleNames.BackupName(schedule.Name, slot.Value);
        var decision = new ScheduleDecision { Schedule = schedule.Name, IsDue = false, Slot = slot, BackupName = name };
        if (schedule.Paused)
        {
            return decision with { Reason = "The schedule is paused." };
        }
        if (backups.FirstOrDefault(b => b.Name == name) is { } existing)
        {
            return decision with { Reason = $"The slot {slot:u} is backed up: '{name}' ({existing.Phase})." };
        }
        if (schedule.SkipImmediately && slot < schedule.Created)
        {
            return decision with { Reason = $"The latest slot {slot:u} is before the schedule was created ({schedule.Created:u}) and skipImmediately is set." };
        }
        // Missed: slots after the last backed-up one (or the creation) and before the latest; run once, for the latest.
        var since = BackupsOf(schedule.Name, backups).Select(b => ScheduleNames.SlotOf(schedule.Name, b.Name)).Where(s => s < slot).Max()
            ?? (schedule.Created > DateTimeOffset.MinValue ? schedule.Created : slot.Value);
        var missed = cron.SlotsBetween(since, slot.Value).Where(s => s < slot && s >= schedule.Created).Take(MissedCountLimit).ToList();
        return decision with
        {
            IsDue = true,
            MissedSlots = missed.Count,
            FirstMissedSlot = missed.Count == 0 ? null : missed[0],
            Reason = missed.Count == 0 ? null : $"Catch-up: {missed.Count} missed slot{(missed.Count == 1 ? "" : "s")} since {missed[0]:u}; one backup is made, for the latest slot {slot:u}.",
        };
    }

    public static ScheduleStatus Status(BackupSchedule schedule, IReadOnlyCollection<BackupSummary> backups, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var cron = schedule.Validate();
        var last = cron.LatestSlot(now);
        var next = cron.NextSlot(now);
        TimeSpan? interval = last is not null && next is not null ? next - last : null;
        var own = BackupsOf(schedule.Name, backups).OrderByDescending(b => b.Started).ThenByDescending(b => b.Name, StringComparer.Ordinal).ToList();
        var successful = own.FirstOrDefault(b => b.Phase == BackupPhase.Completed);
        TimeSpan? age = successful is null ? null : now - successful.Started;
        var late = !schedule.Paused && interval is { } i && (age ?? now - schedule.Created) > 2 * i;
        return new ScheduleStatus
        {
            Schedule = schedule.Name,
            Paused = schedule.Paused,
            LastSlot = last,
            NextRun = next,
            LastBackup = own.FirstOrDefault(),
            LastSuccessfulBackup = successful,
            LastSuccessfulAge = age,
            Interval = interval,
            IsLate = late,
        };
    }
}
