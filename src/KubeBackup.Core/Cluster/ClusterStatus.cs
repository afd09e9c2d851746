namespace KubeBackup.Core.Cluster;

/// <summary>What Test-KbConnection found: whether the API server answered, and as what.</summary>
public sealed class ClusterStatus
{
    public ClusterStatus(string context, string server, bool reachable, string? kubernetesVersion, string? platform, TimeSpan responseTime, string message)
    {
        Context = context;
        Server = server;
        Reachable = reachable;
        KubernetesVersion = kubernetesVersion;
        Platform = platform;
        ResponseTime = responseTime;
        Message = message;
    }

    public string Context { get; }

    public string Server { get; }

    public bool Reachable { get; }

    /// <summary>The server's gitVersion, e.g. v1.32.4.</summary>
    public string? KubernetesVersion { get; }

    public string? Platform { get; }

    public TimeSpan ResponseTime { get; }

    public string Message { get; }
}
