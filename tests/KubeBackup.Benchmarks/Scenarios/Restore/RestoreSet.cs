using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Cluster.Listing;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Restore;
using KubeBackup.Core.Storage;
using KubeBackup.Benchmarks.Scenarios.Backup;

namespace KubeBackup.Benchmarks.Scenarios.Restore;

/// <summary>
/// What a restore of the backup creates in an empty cluster: the items a first restore into an empty emulator recorded
/// as Created, with their tier, so the floor and kubectl create exactly the objects the restore creates (not the nodes,
/// events, owned pods and the like that a restore leaves out, nor what the target cluster makes by itself, such as a
/// namespace's default ServiceAccount).
/// </summary>
public sealed class RestoreSet
{
    private readonly Dictionary<(string Group, string Resource, string? Namespace, string Name), int> _tiers;

    private RestoreSet(Dictionary<(string, string, string?, string), int> tiers) => _tiers = tiers;

    public int Count => _tiers.Count;

    /// <summary>The Created items of the restore named <paramref name="restoreName"/>, from its record.</summary>
    public static async Task<RestoreSet> FromRecordAsync(string repositoryDirectory, string restoreName)
    {
        await using var store = new FileSystemObjectStore(repositoryDirectory);
        using var repository = await BackupRepository.OpenAsync(store, null);
        var items = await RestoreRecords.GetItemsAsync(repository, restoreName, CancellationToken.None);
        return new RestoreSet(items.Where(p => p.Outcome == RestoreOutcome.Created)
            .ToDictionary(p => (p.Group, p.Resource, p.TargetNamespace, p.Name), p => p.Tier));
    }

    /// <summary>The tier the restore creates this object in, or null when the restore does not create it.</summary>
    public int? TierOf(string group, string resource, string? ns, string name) =>
        _tiers.TryGetValue((group, resource, ns, name), out var tier) ? tier : null;

    /// <summary>
    /// The objects of the set as a raw LIST of the source cluster returns them, reset for creating (<see cref="ObjectReset"/>),
    /// grouped by tier in the restore's order: what the floor POSTs.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<CreateRequest>>> ListAsync(string sourceKubeconfig, IReadOnlyList<ApiResource> types)
    {
        using var client = ClusterClient.Open(sourceKubeconfig);
        var tiers = new SortedDictionary<int, List<CreateRequest>>();
        await foreach (var item in new ResourceLister(client).ListManyAsync(types, 4, new ResourceListOptions()))
        {
            var raw = item.Raw ?? throw new InvalidOperationException($"Listing {item.Resource} failed: {item.Failure?.Message}");
            var type = item.Resource;
            if (TierOf(type.Group, type.Resource, raw.Namespace, raw.Name) is not { } tier)
            {
                continue;
            }
            var body = System.Text.Encoding.UTF8.GetBytes(ObjectReset.Reset(raw.Parse()).ToJsonString());
            (tiers.TryGetValue(tier, out var list) ? list : tiers[tier] = []).Add(new CreateRequest(type, raw.Namespace, body));
        }
        var count = tiers.Values.Sum(t => t.Count);
        if (count != Count)
        {
            throw new InvalidOperationException($"The source cluster's lists hold {count} of the {Count} objects the restore creates.");
        }
        return tiers.Values.ToList();
    }
}

/// <summary>One POST: the object's type and namespace, and its JSON.</summary>
public sealed record CreateRequest(ApiResource Type, string? Namespace, byte[] Body)
{
    /// <summary>The collection's path: /api/v1/namespaces/NS/RESOURCE and the like.</summary>
    public string Path => PathOf(Type, Namespace);

    public static string PathOf(ApiResource type, string? ns) =>
        (type.Group.Length == 0 ? $"/api/{type.Version}" : $"/apis/{type.Group}/{type.Version}")
        + (ns is null ? "" : $"/namespaces/{ns}") + "/" + type.Resource;
}
