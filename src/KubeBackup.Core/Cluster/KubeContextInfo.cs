namespace KubeBackup.Core.Cluster;

/// <summary>One context of a kubeconfig, as Get-KbContext lists it.</summary>
public sealed class KubeContextInfo
{
    public KubeContextInfo(string name, string? cluster, string? server, string? user, string? @namespace, bool isCurrent, string source, string? kubeconfig)
    {
        Name = name;
        Cluster = cluster;
        Server = server;
        User = user;
        Namespace = @namespace;
        IsCurrent = isCurrent;
        Source = source;
        Kubeconfig = kubeconfig;
    }

    public string Name { get; }

    public string? Cluster { get; }

    public string? Server { get; }

    public string? User { get; }

    public string? Namespace { get; }

    public bool IsCurrent { get; }

    /// <summary>Where the context was read from, for people.</summary>
    public string Source { get; }

    /// <summary>
    /// The kubeconfig file path(s) the context came from, so the object pipes into cmdlets that take
    /// <c>-Kubeconfig</c>. Null for inline kubeconfig text: the text holds credentials and is never copied into output.
    /// </summary>
    public string? Kubeconfig { get; }
}
