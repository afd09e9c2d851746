namespace KubeBackup.Core.Cluster.Discovery;

/// <summary>A group whose discovery document could not be read (an aggregated API that is down, say).</summary>
public sealed record FailedApiGroup(string GroupVersion, string Reason);
