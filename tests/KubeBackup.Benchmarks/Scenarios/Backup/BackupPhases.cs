using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Cluster.Listing;
using KubeBackup.Core.Operations;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Storage;

namespace KubeBackup.Benchmarks.Scenarios.Backup;

/// <summary>
/// Where a backup's time goes, by doing its steps one at a time with the engine's own public parts: discovery; the
/// Core lister's paged lists cut into objects as bytes, as the backup takes them (as many lists at a time as the
/// backup); for comparison, the same lists parsed into JSON trees (what the backup no longer does); the repository
/// adding the objects (hash, compress, pack, as many at a time as the backup); and its commit (packs flushed, index,
/// manifest, record). Each step is timed alone, so the sum can be set beside a whole backup's time.
/// </summary>
public static class BackupPhases
{
    public sealed record Result(TimeSpan Discovery, TimeSpan ListCut, TimeSpan ListParse, TimeSpan RepositoryAdd, TimeSpan RepositoryCommit, long Items);

    public static async Task<Result> MeasureAsync(IKubernetes client, IReadOnlyList<ApiResource> types, string repositoryDirectory)
    {
        var options = new BackupRunOptions();
        var listOptions = new ResourceListOptions { PageSize = options.PageSize };
        var discovery = await Measurement.TimeAsync(() => ApiDiscovery.DiscoverAsync(client, NullOperationSink.Instance, options.ListRetry, CancellationToken.None));

        var items = new List<(ItemKey Key, ReadOnlyMemory<byte> Json)>();
        var listCut = await Measurement.TimeAsync(async () =>
        {
            await foreach (var item in new ResourceLister(client).ListManyAsync(types, options.MaxConcurrentLists, listOptions))
            {
                var raw = item.Raw ?? throw new InvalidOperationException($"Listing {item.Resource} failed: {item.Failure?.Message}");
                var type = item.Resource;
                items.Add((new ItemKey(type.Group, type.Version, type.Resource, raw.Namespace, raw.Name), raw.Json));
            }
        });

        long parsed = 0;
        var listParse = await Measurement.TimeAsync(async () =>
        {
            await foreach (var item in new ResourceLister(client).ListManyAsync(types, options.MaxConcurrentLists, listOptions))
            {
                parsed += item.Object is null ? 0 : 1;
            }
        });

        var store = new FileSystemObjectStore(repositoryDirectory);
        await using var _ = store;
        using var repository = await BackupRepository.InitializeAsync(store, new RepositoryInitOptions());
        var writer = await repository.BeginBackupAsync("phases");
        await using (writer)
        {
            var add = await Measurement.TimeAsync(() => Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrentItems },
                async (item, ct) => await writer.AddItemAsync(item.Key, item.Json, ct)));
            var commit = await Measurement.TimeAsync(() => writer.CommitAsync("{}"u8.ToArray()));
            return new Result(discovery, listCut, listParse, add, commit, items.Count);
        }
    }
}
