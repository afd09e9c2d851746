using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Common;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Failover;
using KubeBackup.Core.Restore;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Brings a warm standby up to date (issue 9): restores the newest Completed (or PartiallyFailed) backup of the
/// primary, or the one named, from a shared storage location into the DR cluster in standby form — objects updated to the backed-up state,
/// Deployments and StatefulSets at 0 replicas with their count in the <c>original-replicas</c> annotation — and marks
/// each namespace with the backup and its time, which Invoke-KbFailover's replication check reads. Reports the RPO
/// achieved: the age of the data applied. A backup applied already, or older than the one applied, is not restored
/// (-Force does); a namespace a failover promoted is refused (StandbyPromoted) until Set-KbStandby.
/// </summary>
[Cmdlet(VerbsData.Sync, "KbStandby", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(StandbySyncResult))]
public sealed class SyncKbStandbyCommand : ClusterBackupLocationCmdlet
{
    /// <summary>The backup to apply; default: the newest Completed or PartiallyFailed one (of -Schedule).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("BackupName")]
    [ArgumentCompleter(typeof(BackupNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Apply the newest backup of this schedule.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ScheduleNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Schedule { get; set; }

    /// <summary>The namespaces of the backup to sync (wildcards); default: every namespace it holds.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Namespace { get; set; }

    /// <summary>Put before <c>original-replicas</c>, as for Set-KbStandby and Invoke-KbFailover.</summary>
    [Parameter]
    [AllowEmptyString]
    [ValidateNotNull]
    public string AnnotationPrefix { get; set; } = string.Empty;

    /// <summary>Restore even when the namespaces were synced from this backup already.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var location = ResolveLocation();
        var connection = OpenConnection();
        var opened = await OpenRepositoryAsync(location, cancellationToken).ConfigureAwait(false)
            ?? throw new KbException(ErrorIds.NoBackupToRestore, KbErrorCategory.ObjectNotFound, location.Name,
                $"Storage location '{location.Name}' holds no backups yet, so there is nothing to sync the standby from.");
        var options = new StandbySyncOptions
        {
            BackupName = Name,
            ScheduleName = Schedule,
            Namespaces = Namespace ?? [],
            AnnotationPrefix = AnnotationPrefix,
            Force = Force,
            Restore = new RestoreRunOptions { StorageLocation = location.Name },
        };
        var sync = new StandbySync(connection, Sink);
        var plan = await sync.PlanAsync(opened.Repository, options, cancellationToken).ConfigureAwait(false);
        var target = $"cluster '{connection.ContextName}' namespaces {string.Join(", ", plan.Namespaces)}";
        var (proceed, whatIf) = plan.UpToDate
            ? (true, false)
            : await ShouldProcessOrPreviewAsync(target, $"Sync in standby form from backup '{plan.Backup.Name}' in storage location '{location.Name}'").ConfigureAwait(false);
        if (!proceed)
        {
            if (whatIf)
            {
                Emit(sync.Preview(plan, options));
            }
            return;
        }
        var result = await sync.RunAsync(opened.Repository, plan, options, cancellationToken).ConfigureAwait(false);
        Emit(result);
        if (result.Status is StandbySyncStatus.Failed or StandbySyncStatus.PartiallyFailed)
        {
            EmitError(new KbException(ErrorIds.StandbySyncFailed, KbErrorCategory.WriteError, result, $"The standby sync from backup '{result.Backup}' {result.Status}: {result.Message}"));
        }
        else
        {
            EmitVerbose($"{result.Message} The standby's data is from {result.DataTime:u} ({HumanDuration.Format(result.Rpo)} old).");
        }
    }
}
