using System.Diagnostics;
using System.Security.Cryptography;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Storage.Locations;

/// <summary>
/// Checks a storage location the way a backup will use it: list, then write a small probe object, read it back,
/// compare and delete it (only list and read for a read-only location). The probe lives under <c>.probes/</c>,
/// outside the repository's layout, and is always removed. When the location holds a repository, it is opened:
/// with a key, that proves the key; without one, it tells whether the repository is encrypted.
/// </summary>
public static class StorageLocationProbe
{
    public const string RepositoryConfigKey = "kubebackup.json";

    public static async Task<StorageLocationStatus> ProbeAsync(StorageLocation location, IObjectStore store, RepositoryKey? key, IOperationSink sink, CancellationToken cancellationToken)
    {
        const int activityId = 1;
        var activity = $"Testing storage location {location.Name}";
        var watch = Stopwatch.StartNew();
        bool canList = false, canRead = false, repositoryFound = false;
        bool? canWrite = null, canDelete = null, encrypted = null;
        var keyNote = string.Empty;
        var step = "list";
        try
        {
            sink.Progress(new OperationProgress(activityId, activity, $"Listing {store.Description}", 10));
            await using (var objects = store.ListAsync(string.Empty, cancellationToken).GetAsyncEnumerator(cancellationToken))
            {
                await objects.MoveNextAsync().ConfigureAwait(false);
            }
            canList = true;

            step = "read";
            sink.Progress(new OperationProgress(activityId, activity, $"Reading {RepositoryConfigKey}", 30));
            repositoryFound = await store.StatAsync(RepositoryConfigKey, cancellationToken).ConfigureAwait(false) is not null;
            if (repositoryFound)
            {
                await using var config = await store.OpenReadAsync(RepositoryConfigKey, cancellationToken).ConfigureAwait(false);
                await config.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            }
            canRead = true;

            if (repositoryFound)
            {
                step = "open the repository";
                sink.Progress(new OperationProgress(activityId, activity, "Opening the repository", 40));
                try
                {
                    using var opened = await BackupRepository.OpenAsync(store, key, new RepositoryOptions { Sink = sink }, cancellationToken).ConfigureAwait(false);
                    encrypted = opened.IsEncrypted;
                    keyNote = opened.IsEncrypted ? " The key opens it." : string.Empty;
                }
                catch (KbException e) when (e.ErrorId == ErrorIds.PassphraseRequired && key is null)
                {
                    encrypted = true;
                    keyNote = " It is encrypted: pass -Passphrase or -KeyFile, or set KUBEBACKUP_PASSPHRASE, to check the key.";
                }
            }

            if (!location.ReadOnly)
            {
                var probeKey = $".probes/{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid():N}";
                var content = RandomNumberGenerator.GetBytes(4096);
                step = "write";
                sink.Progress(new OperationProgress(activityId, activity, "Writing a probe object", 50));
                await store.PutAsync(probeKey, new MemoryStream(content), cancellationToken).ConfigureAwait(false);
                canWrite = true;
                try
                {
                    step = "read back";
                    await using var read = await store.OpenReadAsync(probeKey, cancellationToken).ConfigureAwait(false);
                    var copy = new MemoryStream();
                    await read.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                    if (!copy.ToArray().AsSpan().SequenceEqual(content))
                    {
                        throw new KbException(ErrorIds.StorageIntegrityCheckFailed, KbErrorCategory.InvalidData, probeKey,
                            $"{store.Description} returned different bytes than were written ({copy.Length} instead of {content.Length}): the service alters uploads; backups there would be corrupt.");
                    }
                }
                finally
                {
                    step = "delete";
                    sink.Progress(new OperationProgress(activityId, activity, "Deleting the probe object", 80));
                    await store.DeleteAsync([probeKey], cancellationToken).ConfigureAwait(false);
                    canDelete = await store.StatAsync(probeKey, cancellationToken).ConfigureAwait(false) is null;
                }
            }

            var access = location.ReadOnly ? "list and read (read-only location: writing not tried)" : "list, write, read back and delete";
            var repository = repositoryFound
                ? $"It holds a{(encrypted == true ? "n encrypted" : "n unencrypted")} KubeBackup repository.{keyNote}"
                : "It holds no KubeBackup repository yet; the first backup creates one.";
            return Status(StorageLocationPhase.Available, $"Can {access} at {store.Description}. {repository}", null);
        }
        catch (KbException e)
        {
            sink.Verbose($"The {step} step failed: {e.Message}");
            return Status(StorageLocationPhase.Unavailable, $"Cannot {step} at {store.Description}: {e.Message}", e.ErrorId);
        }
        finally
        {
            sink.Progress(OperationProgress.Done(activityId, activity));
        }

        StorageLocationStatus Status(StorageLocationPhase phase, string message, string? errorId) => new()
        {
            Name = location.Name,
            Url = location.Url,
            Phase = phase,
            Message = message,
            ErrorId = errorId,
            CanList = canList,
            CanRead = canRead,
            CanWrite = canWrite,
            CanDelete = canDelete,
            RepositoryFound = repositoryFound,
            Encrypted = encrypted,
            ReadOnly = location.ReadOnly,
            Elapsed = watch.Elapsed,
        };
    }
}
