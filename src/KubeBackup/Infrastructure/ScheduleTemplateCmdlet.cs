using System.Collections;
using System.Management.Automation;
using KubeBackup.Completers;

namespace KubeBackup.Infrastructure;

/// <summary>
/// New-KbSchedule and Set-KbSchedule: a schedule's own settings and its backup template, the parameters New-KbBackup
/// has (mapped to a BackupSpec by <see cref="BackupTemplate"/>), declared once for both.
/// </summary>
public abstract class ScheduleTemplateCmdlet : ScheduleCmdlet, IBackupTemplateParameters
{
    [Parameter]
    [ValidateNotNull]
    public string? Description { get; set; }

    /// <summary>-Paused pauses the schedule, -Paused:$false resumes it (Set-KbSchedule).</summary>
    [Parameter]
    public SwitchParameter Paused { get; set; }

    [Parameter]
    public SwitchParameter SkipImmediately { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? IncludeNamespace { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? ExcludeNamespace { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ResourceTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? IncludeResource { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ResourceTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? ExcludeResource { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Selector { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? OrSelector { get; set; }

    [Parameter]
    public SwitchParameter IncludeClusterResources { get; set; }

    /// <summary>How long each backup of the schedule is kept; default 30 days (720h).</summary>
    [Parameter]
    [DurationTransformation]
    [ValidatePositiveDuration]
    public TimeSpan Ttl { get; set; }

    [Parameter]
    public SwitchParameter SnapshotVolumes { get; set; }

    [Parameter]
    [DurationTransformation]
    [ValidatePositiveDuration]
    public TimeSpan SnapshotTimeout { get; set; }

    [Parameter]
    [ValidateNotNull]
    public Hashtable? Label { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public Hashtable[]? Hook { get; set; }
}
