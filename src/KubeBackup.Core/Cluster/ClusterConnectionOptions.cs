namespace KubeBackup.Core.Cluster;

/// <summary>What the user said about which cluster to talk to. Both null: the environment decides.</summary>
/// <param name="Kubeconfig">
/// The kubeconfig text itself, or one or more file paths joined by the path separator (as in KUBECONFIG).
/// </param>
/// <param name="Context">The context to use instead of the kubeconfig's current-context.</param>
public sealed record ClusterConnectionOptions(string? Kubeconfig = null, string? Context = null);
