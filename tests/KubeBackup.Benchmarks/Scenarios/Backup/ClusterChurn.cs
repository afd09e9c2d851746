using k8s;
using k8s.Models;

namespace KubeBackup.Benchmarks.Scenarios.Backup;

/// <summary>
/// Changes a share of the cluster between two backups as users do: a merge PATCH through the API of one data key of
/// ConfigMaps (then Secrets, if there are too few), so the server gives them new resourceVersions.
/// </summary>
public static class ClusterChurn
{
    /// <summary>Patches <paramref name="count"/> objects spread evenly over the ConfigMaps and Secrets; returns how many.</summary>
    public static async Task<int> ChangeAsync(string kubeconfigPath, int count, string stamp)
    {
        using var client = ClusterClient.Open(kubeconfigPath);
        var configMaps = (await client.CoreV1.ListConfigMapForAllNamespacesAsync()).Items
            .Select(c => (Kind: "ConfigMap", c.Metadata.NamespaceProperty, c.Metadata.Name));
        var secrets = (await client.CoreV1.ListSecretForAllNamespacesAsync()).Items
            .Select(s => (Kind: "Secret", s.Metadata.NamespaceProperty, s.Metadata.Name));
        var candidates = configMaps.Concat(secrets).ToList();
        if (candidates.Count < count)
        {
            throw new InvalidOperationException($"The cluster has {candidates.Count} ConfigMaps and Secrets; {count} were to be changed.");
        }
        var step = candidates.Count / (double)count;
        var patch = new V1Patch($"{{\"data\":{{\"kubebackup-bench\":\"{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(stamp))}\"}}}}", V1Patch.PatchType.MergePatch);
        for (var i = 0; i < count; i++)
        {
            var (kind, ns, name) = candidates[(int)(i * step)];
            if (kind == "ConfigMap")
            {
                await client.CoreV1.PatchNamespacedConfigMapAsync(patch, name, ns);
            }
            else
            {
                await client.CoreV1.PatchNamespacedSecretAsync(patch, name, ns);
            }
        }
        return count;
    }
}
