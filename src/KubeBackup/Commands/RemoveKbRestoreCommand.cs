using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Restore;
using KubeBackup.Core.Storage;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Deletes restore records (<c>restores/&lt;name&gt;/</c>: the record, its per-item results and log) from a storage
/// location, asking for each. Only the history goes: what the restores created in clusters stays. For the records an
/// hourly Sync-KbStandby leaves: <c>Get-KbRestore | Where-Object Started -lt (Get-Date).AddDays(-7) | Remove-KbRestore -Force</c>.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KbRestore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(RestoreSummary))]
public sealed class RemoveKbRestoreCommand : BackupLocationCmdlet
{
    /// <summary>The restores to remove (wildcards); bound from Get-KbRestore's output.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("RestoreName")]
    [ArgumentCompleter(typeof(RestoreNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Removes without asking for confirmation (-WhatIf still only shows what would happen).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes each removed restore's summary to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        CollectRequest(Name);
        return Task.CompletedTask;
    }

    protected override Task EndOfInputAsync(CancellationToken cancellationToken) => ForEachRequestAsync(RemoveAsync, cancellationToken);

    private async Task RemoveAsync(StorageLocation location, List<string>? names, CancellationToken cancellationToken)
    {
        var opened = await OpenRepositoryAsync(location, cancellationToken).ConfigureAwait(false);
        foreach (var restore in await SelectRestoresAsync(location, opened, names, cancellationToken).ConfigureAwait(false))
        {
            if (!await ShouldProceedAsync($"{restore.Name} ({location.Name})", $"Delete the record of the restore of backup '{restore.BackupName}' ({restore.Phase}, {restore.Started:u})", Force).ConfigureAwait(false))
            {
                continue;
            }
            try
            {
                await RestoreRecords.DeleteAsync(opened!.Repository, restore.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (KbException e)
            {
                EmitError(e);
                continue;
            }
            EmitVerbose($"Removed the record of restore '{restore.Name}' from storage location '{location.Name}'.");
            if (PassThru)
            {
                Emit(restore);
            }
        }
    }
}
