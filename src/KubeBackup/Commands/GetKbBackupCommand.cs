using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Backup;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Lists the backups of a storage location, newest first: phase, counts, sizes, expiration and every warning and error.
/// A location that holds no repository yet lists nothing (said in a verbose message); a plain name that does not
/// exist is a BackupNotFound error.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KbBackup")]
[OutputType(typeof(BackupSummary))]
public sealed class GetKbBackupCommand : BackupLocationCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(BackupNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Only backups in these phases.</summary>
    [Parameter]
    [ValidateSet("InProgress", "Completed", "PartiallyFailed", "Failed", IgnoreCase = true)]
    public string[]? Phase { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var location = ResolveLocation();
        var opened = await OpenRepositoryAsync(location, cancellationToken).ConfigureAwait(false);
        var backups = await SelectBackupsAsync(location, opened, Name, cancellationToken).ConfigureAwait(false);
        foreach (var backup in backups)
        {
            if (Phase is null || Phase.Contains(backup.Phase.ToString(), StringComparer.OrdinalIgnoreCase))
            {
                Emit(backup);
            }
        }
    }
}
