namespace KubeBackup.Core.Errors;

/// <summary>
/// The stable error ids. Once released an id never changes: scripts and alerts match on it.
/// One file per area (ErrorIds.Storage.cs, ...).
/// </summary>
public static partial class ErrorIds
{
    public const string KubeconfigNotFound = nameof(KubeconfigNotFound);
    public const string KubeconfigInvalid = nameof(KubeconfigInvalid);
    public const string ContextNotFound = nameof(ContextNotFound);
    public const string NoClusterConfigured = nameof(NoClusterConfigured);
    public const string ClusterUnreachable = nameof(ClusterUnreachable);
    public const string ClusterUnauthorized = nameof(ClusterUnauthorized);
    public const string ClusterRequestFailed = nameof(ClusterRequestFailed);
    public const string InClusterConfigInvalid = nameof(InClusterConfigInvalid);
}
