using KubeBackup.Core.Backup;

namespace KubeBackup.Core.Schedules;

/// <summary>
/// A schedule as Get-KbSchedule shows it: the definition, where it is stored, and its status against the backups of
/// its location (<see cref="ScheduleDue.Status"/>): last and next run, last successful backup, its age against the
/// interval (RPO monitoring). Names and times only, so the object pipes into Set-KbSchedule and Remove-KbSchedule.
/// </summary>
public sealed record ScheduleInfo
{
    public required string Name { get; init; }

    public required string Cron { get; init; }

    /// <summary>The IANA zone of <see cref="Cron"/>; null is UTC.</summary>
    public string? TimeZone { get; init; }

    public bool Paused { get; init; }

    public bool SkipImmediately { get; init; }

    public string? Description { get; init; }

    /// <summary>The retention of the schedule's backups (the template's TTL).</summary>
    public TimeSpan Ttl { get; init; }

    /// <summary>The template's namespaces in short: "production, staging", "* except kube-system", "*".</summary>
    public required string Namespaces { get; init; }

    /// <summary>The latest slot at or before now.</summary>
    public DateTimeOffset? LastSlot { get; init; }

    /// <summary>The first slot after now (also for a paused schedule: when it would run).</summary>
    public DateTimeOffset? NextRun { get; init; }

    /// <summary>The name of the schedule's newest backup, whatever its phase.</summary>
    public string? LastBackup { get; init; }

    public string? LastBackupPhase { get; init; }

    /// <summary>The name of the schedule's newest Completed backup.</summary>
    public string? LastSuccessfulBackup { get; init; }

    public DateTimeOffset? LastSuccessfulTime { get; init; }

    /// <summary>How much data a restore now would lose: now minus the start of the last successful backup.</summary>
    public TimeSpan? LastSuccessfulAge { get; init; }

    public TimeSpan? Interval { get; init; }

    /// <summary>Not paused, and no successful backup for more than two intervals (see <see cref="ScheduleStatus.IsLate"/>).</summary>
    public bool IsLate { get; init; }

    /// <summary>The location the schedule is stored in (its saved name, or its URL), where its backups are written.</summary>
    public required string StorageLocation { get; init; }

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset Updated { get; init; }

    /// <summary>What each run backs up.</summary>
    public required BackupSpec Template { get; init; }

    /// <summary>The definition as stored.</summary>
    public required BackupSchedule Definition { get; init; }

    /// <summary>The cron expression with its zone, as Velero writes it: <c>CRON_TZ=Asia/Shanghai 0 2 * * *</c>.</summary>
    public string CronWithZone => TimeZone is null || Cron.StartsWith("@every", StringComparison.Ordinal) ? Cron : $"CRON_TZ={TimeZone} {Cron}";

    public static ScheduleInfo From(BackupSchedule schedule, ScheduleStatus status, string storageLocation)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(status);
        return new ScheduleInfo
        {
            Name = schedule.Name,
            Cron = schedule.Cron,
            TimeZone = schedule.TimeZone,
            Paused = schedule.Paused,
            SkipImmediately = schedule.SkipImmediately,
            Description = schedule.Description,
            Ttl = schedule.Template.Ttl,
            Namespaces = NamespacesOf(schedule.Template),
            LastSlot = status.LastSlot,
            NextRun = status.NextRun,
            LastBackup = status.LastBackup?.Name,
            LastBackupPhase = status.LastBackup?.Phase.ToString(),
            LastSuccessfulBackup = status.LastSuccessfulBackup?.Name,
            LastSuccessfulTime = status.LastSuccessfulBackup?.Started,
            LastSuccessfulAge = status.LastSuccessfulAge,
            Interval = status.Interval,
            IsLate = status.IsLate,
            StorageLocation = storageLocation,
            Created = schedule.Created,
            Updated = schedule.Updated,
            Template = schedule.Template,
            Definition = schedule,
        };
    }

    private static string NamespacesOf(BackupSpec template)
    {
        var included = template.IncludedNamespaces is { Count: > 0 } i ? string.Join(", ", i) : "*";
        return template.ExcludedNamespaces is { Count: > 0 } e ? $"{included} except {string.Join(", ", e)}" : included;
    }
}
