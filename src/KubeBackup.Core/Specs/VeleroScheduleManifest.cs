using KubeBackup.Core.Schedules;

namespace KubeBackup.Core.Specs;

/// <summary>
/// A Velero <c>Schedule</c> manifest as KubeBackup reads it: the schedule (named by metadata.name; an empty Name when
/// the manifest has none, for New-KbSchedule -Name to give) and what of the manifest was not carried over.
/// </summary>
public sealed record VeleroScheduleManifest(BackupSchedule Schedule, IReadOnlyList<string> Warnings)
{
    public string? Name => Schedule.Name.Length == 0 ? null : Schedule.Name;
}
