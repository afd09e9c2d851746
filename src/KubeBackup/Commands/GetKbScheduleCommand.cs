using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Schedules;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Lists the schedules of a storage location with their status: last and next run, the last backup and the last
/// successful one, its age against the schedule's interval and whether the schedule is late (the basis of RPO
/// monitoring). A plain name that does not exist is a ScheduleNotFound error.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KbSchedule")]
[OutputType(typeof(ScheduleInfo))]
public sealed class GetKbScheduleCommand : ScheduleCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var location = ResolveLocation();
        var opened = await OpenRepositoryAsync(location, cancellationToken).ConfigureAwait(false);
        var schedules = await SelectSchedulesAsync(location, opened, Name, cancellationToken).ConfigureAwait(false);
        foreach (var schedule in schedules)
        {
            Emit(await InfoAsync(location, opened!, schedule, cancellationToken).ConfigureAwait(false));
        }
    }
}
