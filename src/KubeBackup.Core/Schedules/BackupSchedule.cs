using KubeBackup.Core.Backup;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Schedules;

/// <summary>
/// A schedule definition, stored at <c>schedules/&lt;name&gt;.json</c> in the storage location so every runner sees
/// the same one: when to back up (<see cref="Cron"/> in <see cref="TimeZone"/>) and what (the <see cref="Template"/>,
/// every New-KbBackup option; its TTL is the retention of the schedule's backups).
/// </summary>
public sealed record BackupSchedule
{
    /// <summary>A slot's backup is named <c>&lt;schedule&gt;-&lt;yyyyMMddHHmmss&gt;</c>, which must stay a valid backup name.</summary>
    public const int MaxNameLength = 200 - 15;

    public required string Name { get; init; }

    /// <summary>A 5-field cron expression, a macro or <c>@every &lt;duration&gt;</c> (<see cref="ScheduleCron"/>).</summary>
    public required string Cron { get; init; }

    /// <summary>The IANA zone the cron expression is read in; null is UTC.</summary>
    public string? TimeZone { get; init; }

    public required BackupSpec Template { get; init; }

    /// <summary>A paused schedule makes no backups; its backups still expire.</summary>
    public bool Paused { get; init; }

    /// <summary>
    /// Velero's skipImmediately. A new schedule backs up its latest slot at the first run even when the slot is older than
    /// the schedule (Velero's default: a backup right after creation); with this set, it waits for the first slot after
    /// <see cref="Created"/>.
    /// </summary>
    public bool SkipImmediately { get; init; }

    public string? Description { get; init; }

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset Updated { get; init; }

    /// <summary>
    /// Checks the definition and returns its parsed timing. ScheduleInvalid (name, TTL), ScheduleCronInvalid,
    /// ScheduleTimeZoneUnknown. A <c>CRON_TZ=</c> prefix is accepted here; <see cref="Normalized"/> moves it to the zone.
    /// </summary>
    public ScheduleCron Validate()
    {
        ValidateName(Name);
        if (Template is null)
        {
            throw Invalid($"Schedule '{Name}' has no backup template.");
        }
        if (Template.Ttl <= TimeSpan.Zero)
        {
            throw Invalid($"The TTL of schedule '{Name}' must be positive; {Template.Ttl} would expire every backup before it is written.");
        }
        return ScheduleCron.Parse(Cron, TimeZone);
    }

    /// <summary>The definition with a <c>CRON_TZ=</c> prefix moved into <see cref="TimeZone"/>, after validation.</summary>
    public BackupSchedule Normalized()
    {
        var cron = Validate();
        return this with { Cron = cron.Expression, TimeZone = cron.TimeZoneId };
    }

    /// <summary>The backup name rules (<see cref="RepositoryLayout.ValidateName"/>), short enough for the slot suffix.</summary>
    public static string ValidateName(string name)
    {
        try
        {
            RepositoryLayout.ValidateName(name);
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.BackupNameInvalid)
        {
            throw new KbException(ErrorIds.ScheduleInvalid, KbErrorCategory.InvalidArgument, name,
                $"'{name}' is not a valid schedule name: use letters, digits, '.', '_' and '-', starting with a letter or digit, at most {MaxNameLength} characters.", e);
        }
        if (name.Length > MaxNameLength)
        {
            throw new KbException(ErrorIds.ScheduleInvalid, KbErrorCategory.InvalidArgument, name,
                $"The schedule name '{name[..20]}...' has {name.Length} characters; at most {MaxNameLength} leave room for the time its backups are named by.");
        }
        return name;
    }

    private KbException Invalid(string message) => new(ErrorIds.ScheduleInvalid, KbErrorCategory.InvalidArgument, Name, message);
}
