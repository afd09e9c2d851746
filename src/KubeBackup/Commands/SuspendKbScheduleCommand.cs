using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Schedules;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Pauses schedules: Invoke-KbSchedule makes no backups for them until Resume-KbSchedule; their backups still expire. The same as Set-KbSchedule -Paused, for several schedules by wildcard.
/// </summary>
[Cmdlet(VerbsLifecycle.Suspend, "KbSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ScheduleInfo))]
public sealed class SuspendKbScheduleCommand : ScheduleCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Writes each schedule to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken) => SetPausedAsync(Name, paused: true, PassThru, cancellationToken);
}
