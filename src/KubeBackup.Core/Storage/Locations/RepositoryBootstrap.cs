using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Storage.Locations;

/// <summary>What saving a location with a key did to the repository there.</summary>
public enum RepositoryBootstrapResult
{
    /// <summary>There was none: an encrypted repository was created.</summary>
    Initialized,

    /// <summary>There was one: the key opened it.</summary>
    Verified,
}

/// <summary>
/// Encryption is chosen when a repository is created, so a location saved with a passphrase or key file gets
/// its encrypted repository at once (or, when one is already there, proves the key opens it) instead of leaving
/// the choice to whichever backup happens to run first.
/// </summary>
public static class RepositoryBootstrap
{
    public static async Task<RepositoryBootstrapResult> EnsureAsync(StorageLocation location, IObjectStore store, RepositoryKey key, IOperationSink sink, CancellationToken cancellationToken)
    {
        var options = new RepositoryOptions { Sink = sink };
        if (await store.StatAsync(StorageLocationProbe.RepositoryConfigKey, cancellationToken).ConfigureAwait(false) is not null)
        {
            using var existing = await BackupRepository.OpenAsync(store, key, options, cancellationToken).ConfigureAwait(false);
            if (!existing.IsEncrypted)
            {
                throw new KbException(ErrorIds.RepositoryNotEncrypted, KbErrorCategory.InvalidOperation, location.Name,
                    $"Storage location '{location.Name}' already holds an unencrypted repository; a passphrase cannot encrypt it afterwards. Save the location without -Passphrase/-KeyFile, or use an empty prefix for encrypted backups.");
            }
            return RepositoryBootstrapResult.Verified;
        }
        sink.Verbose($"Creating an encrypted repository in {store.Description}.");
        using var created = await BackupRepository.InitializeAsync(store, new RepositoryInitOptions { Encryption = key }, options, cancellationToken).ConfigureAwait(false);
        return RepositoryBootstrapResult.Initialized;
    }
}
