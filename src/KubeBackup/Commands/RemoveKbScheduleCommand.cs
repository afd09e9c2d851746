using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Schedules;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Removes schedule definitions from a storage location, asking for each. Only the definition goes: the schedule's
/// backups stay and expire by their own TTL (Remove-KbBackup -Expired).
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KbSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(ScheduleInfo))]
public sealed class RemoveKbScheduleCommand : ScheduleCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Removes without asking for confirmation (-WhatIf still only shows what would happen).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes each removed schedule to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var location = ResolveLocation();
        var opened = await OpenRepositoryAsync(location, cancellationToken).ConfigureAwait(false);
        var schedules = await SelectSchedulesAsync(location, opened, Name, cancellationToken).ConfigureAwait(false);
        foreach (var schedule in schedules)
        {
            if (!await ShouldProceedAsync($"schedule '{schedule.Name}' ({location.Name})", "Remove schedule (its backups stay and expire by their TTL)", Force).ConfigureAwait(false))
            {
                continue;
            }
            ScheduleInfo? removed = PassThru ? await InfoAsync(location, opened!, schedule, cancellationToken).ConfigureAwait(false) : null;
            try
            {
                await StoreOf(opened!).DeleteAsync(schedule.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (KbException e)
            {
                EmitError(e.ErrorId == ErrorIds.ScheduleNotFound ? ScheduleNotFound(schedule.Name, location) : e);
                continue;
            }
            EmitVerbose($"Removed schedule '{schedule.Name}' from storage location '{location.Name}'; its backups stay.");
            if (removed is not null)
            {
                Emit(removed);
            }
        }
    }
}
