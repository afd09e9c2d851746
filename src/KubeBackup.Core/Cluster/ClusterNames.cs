using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Cluster.Listing;

namespace KubeBackup.Core.Cluster;

/// <summary>Names a user types as arguments (namespaces, resource types), read from the live cluster for tab completion.</summary>
public static class ClusterNames
{
    private static readonly ApiResource NamespacesType = new("", "v1", "namespaces", "Namespace", false, ["get", "list"], ["ns"]);

    public static async Task<IReadOnlyList<string>> NamespacesAsync(ClusterConnection connection, CancellationToken cancellationToken)
    {
        using var client = connection.CreateClient();
        var names = new List<string>();
        var options = new ResourceListOptions { Retry = RetryPolicy.Default with { MaxRetries = 0 } };
        await foreach (var item in new ResourceLister(client).ListAsync(NamespacesType, options, cancellationToken).ConfigureAwait(false))
        {
            if ((string?)item["metadata"]?["name"] is { } name)
            {
                names.Add(name);
            }
        }
        return names;
    }

    /// <summary>The resource types a backup can take, by the name filters use (<c>deployments.apps</c>), with their kind.</summary>
    public static async Task<IReadOnlyList<(string Name, string Kind)>> ResourceTypesAsync(ClusterConnection connection, CancellationToken cancellationToken)
    {
        using var client = connection.CreateClient();
        var discovered = await ApiDiscovery.DiscoverAsync(client, Operations.NullOperationSink.Instance, RetryPolicy.Default with { MaxRetries = 0 }, cancellationToken).ConfigureAwait(false);
        return discovered.BackupCandidates.Select(r => (r.FullName, $"{r.Kind} ({r.ApiVersion})")).ToList();
    }
}
