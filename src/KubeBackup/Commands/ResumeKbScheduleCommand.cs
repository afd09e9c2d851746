using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Schedules;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Resumes paused schedules: the next run backs up the latest slot, once (not every slot missed while paused). The same as Set-KbSchedule -Paused:$false, for several schedules by wildcard.
/// </summary>
[Cmdlet(VerbsLifecycle.Resume, "KbSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ScheduleInfo))]
public sealed class ResumeKbScheduleCommand : ScheduleCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Writes each schedule to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken) => SetPausedAsync(Name, paused: false, PassThru, cancellationToken);
}
