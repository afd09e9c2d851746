using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Restore;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Lists the restores recorded in a storage location, newest first: the backup each read, the target cluster, phase,
/// counts per outcome, and every warning and error. A plain name that does not exist is a RestoreNotFound error.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KbRestore")]
[OutputType(typeof(RestoreSummary))]
public sealed class GetKbRestoreCommand : BackupLocationCmdlet
{
    // Not bound from the pipeline: a backup's Name would be taken for a restore's (use -BackupName for those).
    [Parameter(Position = 0)]
    [Alias("RestoreName")]
    [ArgumentCompleter(typeof(RestoreNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Only restores of these backups (wildcards).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(BackupNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? BackupName { get; set; }

    /// <summary>Only restores in these phases.</summary>
    [Parameter]
    [ValidateSet("Completed", "PartiallyFailed", "Failed", IgnoreCase = true)]
    public string[]? Phase { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var location = ResolveLocation();
        var opened = await OpenRepositoryAsync(location, cancellationToken).ConfigureAwait(false);
        var restores = await SelectRestoresAsync(location, opened, Name, cancellationToken).ConfigureAwait(false);
        var backups = WildcardNames.Patterns(BackupName);
        foreach (var restore in restores)
        {
            if ((Phase is null || Phase.Contains(restore.Phase.ToString(), StringComparer.OrdinalIgnoreCase))
                && WildcardNames.Matches(backups, restore.BackupName))
            {
                Emit(restore);
            }
        }
    }
}
