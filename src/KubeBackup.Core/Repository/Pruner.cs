using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;

namespace KubeBackup.Core.Repository;

/// <summary>
/// Removes what no committed backup references, under the exclusive lock (so no backup is running: backups hold shared
/// locks from their first upload to their commit). Packs and orphan backup files younger than the grace period are
/// kept, as a second guard for a backup whose lock went stale while it still ran. Packs are removed whole: a pack that
/// is partly used stays until none of its blobs is used (no repacking). The index is rewritten without the removed
/// packs before any pack is deleted, so no reader of the index can dedup against a deleted pack.
/// </summary>
internal sealed class Pruner(BackupRepository repository, PruneOptions options)
{
    private const int ActivityId = 4200;
    private const string Activity = "Pruning repository";

    public async Task<PruneResult> RunAsync(CancellationToken cancellationToken)
    {
        var store = repository.Store;
        var sink = repository.Options.Sink;
        await using var held = (await RepositoryLock.AcquireAsync(store, repository.Options, exclusive: true, "prune", cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        var cutoff = DateTimeOffset.UtcNow - options.GracePeriod;

        sink.Progress(new OperationProgress(ActivityId, Activity, "Reading backups", 0));
        var files = new Dictionary<string, List<Storage.ObjectInfo>>(StringComparer.Ordinal);
        await foreach (var info in store.ListAsync(RepositoryLayout.BackupsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (RepositoryLayout.BackupFileOf(info.Key) is { } file)
            {
                (files.TryGetValue(file.Name, out var list) ? list : files[file.Name] = []).Add(info);
            }
        }
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        var orphanFiles = new List<string>();
        foreach (var (name, objects) in files)
        {
            if (objects.Any(o => o.Key.EndsWith("/" + RepositoryLayout.RecordFileName, StringComparison.Ordinal)))
            {
                BackupInfo info;
                try
                {
                    info = await repository.GetBackupAsync(name, cancellationToken).ConfigureAwait(false);
                }
                catch (KbException e) when (e.ErrorId == ErrorIds.BackupNotFound)
                {
                    // Deleted since the listing; its files are orphans next time.
                    continue;
                }
                // A manifest that cannot be read leaves its packs unknown: stop rather than delete what it may use.
                var header = await repository.ReadManifestHeaderAsync(info, cancellationToken).ConfigureAwait(false);
                referenced.UnionWith(header.Packs);
            }
            else
            {
                orphanFiles.AddRange(objects.Where(o => o.LastModified <= cutoff).Select(o => o.Key));
            }
        }

        sink.Progress(new OperationProgress(ActivityId, Activity, "Listing packs", 30));
        var packs = await RepositoryIndex.ListPacksAsync(store, repository.Intern, cancellationToken).ConfigureAwait(false);
        var unreferenced = packs.Where(p => !referenced.Contains(p.Key)).ToList();
        var doomed = unreferenced.Where(p => p.Value.LastModified <= cutoff).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var young = unreferenced.Count - doomed.Count;

        sink.Progress(new OperationProgress(ActivityId, Activity, "Rewriting the index", 50));
        var indexFiles = await RepositoryIndex.ReadAllAsync(store, repository.Codec, sink, repository.Intern, cancellationToken).ConfigureAwait(false);
        var stale = indexFiles.Any(f => f.Packs.Any(p => !packs.ContainsKey(p.PackId) || doomed.ContainsKey(p.PackId)));
        var rewritten = 0;
        if (stale || indexFiles.Count > 1)
        {
            var live = new Dictionary<string, Dictionary<BlobId, (BlobId, long, int)>>(StringComparer.Ordinal);
            foreach (var (_, filePacks) in indexFiles)
            {
                foreach (var (packId, blobs) in filePacks.Where(p => packs.ContainsKey(p.PackId) && !doomed.ContainsKey(p.PackId)))
                {
                    var set = live.TryGetValue(packId, out var existing) ? existing : live[packId] = [];
                    foreach (var blob in blobs)
                    {
                        set.TryAdd(blob.Id, blob);
                    }
                }
            }
            var newKey = await RepositoryIndex.WriteAsync(store, repository.Codec,
                RepositoryIndex.Serialize(live.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value.Values.OrderBy(b => b.Item2).AsEnumerable()))),
                cancellationToken).ConfigureAwait(false);
            var old = indexFiles.Select(f => f.Key).Where(k => k != newKey).ToList();
            await store.DeleteAsync(old, cancellationToken).ConfigureAwait(false);
            rewritten = old.Count;
        }

        sink.Progress(new OperationProgress(ActivityId, Activity, $"Deleting {doomed.Count} packs", 70));
        await store.DeleteAsync(doomed.Keys.Select(RepositoryLayout.Pack).ToList(), cancellationToken).ConfigureAwait(false);
        await store.DeleteAsync(orphanFiles, cancellationToken).ConfigureAwait(false);
        sink.Progress(OperationProgress.Done(ActivityId, Activity));
        var result = new PruneResult(doomed.Count, doomed.Values.Sum(p => p.Size), packs.Count - doomed.Count, young, orphanFiles.Count, rewritten);
        sink.Verbose($"Prune: deleted {result.PacksDeleted} packs ({result.BytesFreed} bytes) and {result.OrphanBackupFilesDeleted} orphan backup files; kept {result.PacksKept} packs, {result.PacksInGracePeriod} of them unreferenced but younger than {options.GracePeriod}.");
        return result;
    }
}

public sealed record PruneOptions
{
    /// <summary>Unreferenced packs and orphan backup files younger than this are kept.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromHours(1);
}

/// <summary>What a prune removed and kept.</summary>
public sealed record PruneResult(int PacksDeleted, long BytesFreed, int PacksKept, int PacksInGracePeriod, int OrphanBackupFilesDeleted, int IndexFilesReplaced);
