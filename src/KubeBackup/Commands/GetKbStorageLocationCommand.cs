using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.Locations;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>Lists the saved storage locations, or the embedded local default when none is saved.</summary>
[Cmdlet(VerbsCommon.Get, "KbStorageLocation")]
[OutputType(typeof(StorageLocation))]
public sealed class GetKbStorageLocationCommand : AsyncCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(StorageLocationNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Only the default location: the one backups go to without -StorageLocation.</summary>
    [Parameter]
    public SwitchParameter Default { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var catalog = new StorageLocationCatalog(UserPaths.FromEnvironment());
        IReadOnlyList<StorageLocation> locations = Default ? [catalog.GetDefault()] : catalog.List();
        if (locations.Count == 1 && catalog.IsEmbeddedDefault(locations[0]))
        {
            EmitVerbose($"No storage location is saved: the embedded default keeps backups in '{locations[0].Path}'.");
        }
        var selected = WildcardNames.Select(locations, Name, l => l.Name, name => EmitError(new KbException(ErrorIds.StorageLocationNotFound, KbErrorCategory.ObjectNotFound, name,
            $"No storage location is named '{name}'. Saved locations: {string.Join(", ", locations.Select(l => $"'{l.Name}'"))}.")));
        foreach (var location in selected)
        {
            Emit(location);
        }
        return Task.CompletedTask;
    }
}
