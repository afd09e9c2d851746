namespace KubeBackup.Core.Errors;

public static partial class ErrorIds
{
    /// <summary>A name given for the RBAC manifest (service account, namespace) is not a DNS-1123 label.</summary>
    public const string RbacManifestInvalid = nameof(RbacManifestInvalid);
}
