namespace KubeBackup.Core.Cluster;

/// <summary>
/// Where connection settings come from when the caller gives none: the KUBECONFIG variable, the
/// user's ~/.kube/config, and the service account a pod is given. A value object so tests can
/// describe a machine or a pod without changing the process environment.
/// </summary>
public sealed record ClusterEnvironment(
    string? KubeconfigVariable,
    string HomeDirectory,
    string? ServiceHost,
    string? ServicePort,
    string ServiceAccountDirectory)
{
    public const string DefaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static ClusterEnvironment FromProcess() => new(
        Environment.GetEnvironmentVariable("KUBECONFIG"),
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"),
        Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT"),
        DefaultServiceAccountDirectory);

    public string DefaultKubeconfigPath => Path.Combine(HomeDirectory, ".kube", "config");

    /// <summary>In a pod: the service host variable is set and the token is mounted.</summary>
    public bool IsInCluster =>
        !string.IsNullOrEmpty(ServiceHost) && File.Exists(Path.Combine(ServiceAccountDirectory, "token"));
}
