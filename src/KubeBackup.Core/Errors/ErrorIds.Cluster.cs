namespace KubeBackup.Core.Errors;

public static partial class ErrorIds
{
    public const string DiscoveryFailed = nameof(DiscoveryFailed);
    public const string ResourceTypeNotFound = nameof(ResourceTypeNotFound);
    public const string ResourceListFailed = nameof(ResourceListFailed);
    public const string ResourceListForbidden = nameof(ResourceListForbidden);
}
