using System.Globalization;

namespace KubeBackup.Core.Schedules;

/// <summary>
/// The name of a slot's backup: <c>&lt;schedule&gt;-&lt;yyyyMMddHHmmss&gt;</c> of the slot in UTC. Deterministic, so two
/// runners compute the same name and the repository's refusal of a second backup of one name keeps a slot backed up once.
/// </summary>
public static class ScheduleNames
{
    private const string Format = "yyyyMMddHHmmss";

    public static string BackupName(string schedule, DateTimeOffset slot) =>
        $"{schedule}-{slot.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture)}";

    /// <summary>The slot a backup of <paramref name="schedule"/> was made for, or null when the name is not a slot name of it.</summary>
    public static DateTimeOffset? SlotOf(string schedule, string backupName)
    {
        if (backupName.Length != schedule.Length + 1 + Format.Length || !backupName.StartsWith(schedule + "-", StringComparison.Ordinal))
        {
            return null;
        }
        return DateTime.TryParseExact(backupName.AsSpan(schedule.Length + 1), Format, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? new DateTimeOffset(time, TimeSpan.Zero)
            : null;
    }
}
