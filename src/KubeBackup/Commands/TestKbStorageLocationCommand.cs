using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.Locations;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Checks that a storage location is reachable and that the credentials may list, write, read and delete
/// there. The answer is the location's Phase (Available or Unavailable) with the reason, as Velero reports a
/// BackupStorageLocation's status.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KbStorageLocation")]
[OutputType(typeof(StorageLocationStatus))]
public sealed class TestKbStorageLocationCommand : RepositoryKeyCmdlet
{
    /// <summary>A saved location's name, a URL, or a location object; the default location when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(StorageLocationNameCompleter))]
    [StorageLocationTransformation]
    [ValidateNotNull]
    public StorageLocation? StorageLocation { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var location = StorageLocation ?? new StorageLocationCatalog(UserPaths.FromEnvironment()).GetDefault();
        IObjectStore store;
        try
        {
            store = ReadOnlyObjectStore.Open(location);
        }
        catch (KbException e)
        {
            Emit(new StorageLocationStatus
            {
                Name = location.Name,
                Url = location.Url,
                Phase = StorageLocationPhase.Unavailable,
                Message = e.Message,
                ErrorId = e.ErrorId,
                ReadOnly = location.ReadOnly,
            });
            return;
        }
        using var key = ResolveKey();
        await using (store.ConfigureAwait(false))
        {
            Emit(await StorageLocationProbe.ProbeAsync(location, store, key, Sink, cancellationToken).ConfigureAwait(false));
        }
    }
}
