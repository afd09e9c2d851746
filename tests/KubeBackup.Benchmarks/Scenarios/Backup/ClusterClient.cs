using k8s;
using KubeBackup.Core.Cluster;
using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Cluster.Listing;
using KubeBackup.Core.Operations;

namespace KubeBackup.Benchmarks.Scenarios.Backup;

/// <summary>A client for the emulator's kubeconfig, opened the way the module opens one, and the types a backup lists.</summary>
public static class ClusterClient
{
    public static IKubernetes Open(string kubeconfigPath) =>
        ClusterConnection.Open(new ClusterConnectionOptions(kubeconfigPath)).CreateClient();

    /// <summary>Every type a backup with the default spec lists: discovery's backup candidates.</summary>
    public static async Task<IReadOnlyList<ApiResource>> BackupTypesAsync(IKubernetes client)
    {
        var discovered = await ApiDiscovery.DiscoverAsync(client, NullOperationSink.Instance, RetryPolicy.Default, CancellationToken.None);
        if (discovered.FailedGroups.Count > 0)
        {
            throw new InvalidOperationException($"Discovery failed for {string.Join(", ", discovered.FailedGroups)}.");
        }
        return discovered.BackupCandidates;
    }
}
