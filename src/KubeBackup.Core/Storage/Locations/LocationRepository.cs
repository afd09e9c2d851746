using KubeBackup.Core.Errors;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Storage.Locations;

/// <summary>
/// The repository of a storage location, opened (or, for a backup, created where there is none yet) with its store.
/// Disposing it closes both.
/// </summary>
public sealed class LocationRepository : IAsyncDisposable
{
    private LocationRepository(StorageLocation location, IObjectStore store, BackupRepository repository)
    {
        Location = location;
        Store = store;
        Repository = repository;
    }

    public StorageLocation Location { get; }

    public IObjectStore Store { get; }

    public BackupRepository Repository { get; }

    /// <summary>
    /// Opens the location's repository. With <paramref name="createIfMissing"/> an empty location gets one (encrypted when
    /// a key is given); otherwise an empty location is RepositoryNotFound. A read-only location is never written.
    /// </summary>
    public static async Task<LocationRepository> OpenAsync(StorageLocation location, RepositoryKey? key, RepositoryOptions options, bool createIfMissing, CancellationToken cancellationToken)
    {
        var store = ReadOnlyObjectStore.Open(location);
        try
        {
            BackupRepository repository;
            if (createIfMissing && !location.ReadOnly && await store.StatAsync(RepositoryLayout.ConfigKey, cancellationToken).ConfigureAwait(false) is null)
            {
                options.Sink.Verbose($"Creating a{(key is null ? "n unencrypted" : "n encrypted")} repository in storage location '{location.Name}' ({store.Description}).");
                repository = await BackupRepository.InitializeAsync(store, new RepositoryInitOptions { Encryption = key }, options, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                try
                {
                    repository = await BackupRepository.OpenAsync(store, key, options, cancellationToken).ConfigureAwait(false);
                }
                catch (KbException e) when (e.ErrorId == ErrorIds.RepositoryNotFound)
                {
                    throw new KbException(ErrorIds.RepositoryNotFound, KbErrorCategory.ObjectNotFound, location.Name,
                        $"Storage location '{location.Name}' ({store.Description}) holds no backups yet: it has no KubeBackup repository.", e);
                }
            }
            return new LocationRepository(location, store, repository);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Repository.Dispose();
        await Store.DisposeAsync().ConfigureAwait(false);
    }
}
