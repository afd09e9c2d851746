using System.Collections;
using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Schedules;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Changes a schedule: its timing, description, backup template or TTL; <c>-Paused</c> pauses it and
/// <c>-Paused:$false</c> resumes it. Parameters not given keep their value. The schedule's existing backups are not
/// touched (a new TTL applies to the backups made from now on).
/// </summary>
[Cmdlet(VerbsCommon.Set, "KbSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ScheduleInfo))]
public sealed class SetKbScheduleCommand : ScheduleTemplateCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>A new cron expression; without -TimeZone the schedule keeps its zone (unless the text has a CRON_TZ= prefix).</summary>
    [Parameter]
    [Alias("Schedule")]
    [ValidateNotNullOrEmpty]
    public string? Cron { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(TimeZoneCompleter))]
    [ValidateNotNullOrEmpty]
    public string? TimeZone { get; set; }

    /// <summary>Writes the changed schedule to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var bound = MyInvocation.BoundParameters;
        var location = ResolveLocation();
        var opened = await OpenRepositoryAsync(location, cancellationToken).ConfigureAwait(false) ?? throw ScheduleNotFound(Name, location);
        var store = StoreOf(opened);
        BackupSchedule existing;
        try
        {
            existing = await store.GetAsync(Name, cancellationToken).ConfigureAwait(false);
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.ScheduleNotFound)
        {
            throw ScheduleNotFound(Name, location);
        }
        // A new expression with a CRON_TZ= prefix brings its zone; one without keeps the schedule's.
        var zone = TimeZone ?? (Cron is not null && ScheduleCron.SplitZonePrefix(Cron).TimeZone is not null ? null : existing.TimeZone);
        var changed = existing with
        {
            Cron = Cron ?? existing.Cron,
            TimeZone = zone,
            Description = Description ?? existing.Description,
            Paused = bound.ContainsKey(nameof(Paused)) ? Paused.IsPresent : existing.Paused,
            SkipImmediately = bound.ContainsKey(nameof(SkipImmediately)) ? SkipImmediately.IsPresent : existing.SkipImmediately,
            Template = BackupTemplate.Apply(existing.Template, this, bound),
        };
        changed = changed.Normalized();
        var action = changed.Paused != existing.Paused ? (changed.Paused ? "Pause schedule" : "Resume schedule") : "Update schedule";
        if (!await ShouldProcessAsync($"schedule '{Name}' in storage location '{location.Name}'", action).ConfigureAwait(false))
        {
            return;
        }
        var saved = await store.UpdateAsync(changed, cancellationToken).ConfigureAwait(false);
        EmitVerbose($"{action}: '{saved.Name}' in storage location '{location.Name}' is saved.");
        if (PassThru)
        {
            Emit(await InfoAsync(location, opened, saved, cancellationToken).ConfigureAwait(false));
        }
    }
}
