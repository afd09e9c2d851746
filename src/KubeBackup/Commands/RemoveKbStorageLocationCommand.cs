using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.Locations;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Forgets a saved storage location. The backups stored there are not touched: saving the location again
/// (or passing its URL) finds them.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KbStorageLocation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(StorageLocation))]
public sealed class RemoveKbStorageLocationCommand : AsyncCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(StorageLocationNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>Removes without asking for confirmation (-WhatIf still only shows what would happen).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes the removed location to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var catalog = new StorageLocationCatalog(UserPaths.FromEnvironment());
        var location = catalog.GetSaved(Name);
        if (await ShouldProceedAsync($"{location.Name} ({location.Url})", "Forget storage location (its backups stay where they are)", Force).ConfigureAwait(false))
        {
            var removed = catalog.Remove(location.Name);
            if (PassThru)
            {
                Emit(removed);
            }
        }
    }
}
