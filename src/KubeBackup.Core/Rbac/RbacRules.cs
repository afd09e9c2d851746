namespace KubeBackup.Core.Rbac;

/// <summary>
/// What each role's cmdlets ask of the API server, as data: one row per resource and its verbs. The manifest
/// is built from these tables only, so a test can hold them against the requests the cmdlets make.
/// </summary>
public static class RbacRules
{
    private const string Core = "";
    private const string Storage = "storage.k8s.io";
    private const string Snapshots = "snapshot.storage.k8s.io";
    private const string ApiExtensions = "apiextensions.k8s.io";

    /// <summary>
    /// New-KbVolumeSnapshot, Get-KbVolumeSnapshot, Remove-KbVolumeSnapshot and Remove-KbExpiredSnapshot: find the
    /// PVCs and their storage class's driver, pick the snapshot class, create/watch/delete snapshots, read the
    /// bound content (size, handle), and tell "snapshot CRDs not installed" apart from other failures.
    /// </summary>
    public static IReadOnlyList<RbacRule> Snapshot { get; } =
    [
        RbacRule.Namespaced(Core, "persistentvolumeclaims", "get", "list"),
        RbacRule.Cluster(Storage, "storageclasses", "get", "list"),
        RbacRule.Cluster(Snapshots, "volumesnapshotclasses", "get", "list"),
        RbacRule.Namespaced(Snapshots, "volumesnapshots", "get", "list", "watch", "create", "delete"),
        RbacRule.Cluster(Snapshots, "volumesnapshotcontents", "get", "list"),
        RbacRule.Cluster(ApiExtensions, "customresourcedefinitions", "get"),
    ];

    /// <summary>
    /// Whether <paramref name="rules"/> allow <paramref name="verb"/> on <paramref name="resource"/> (a subresource as
    /// <c>pods/exec</c>) of <paramref name="apiGroup"/>, matched as the API server's RBAC authorizer does (<c>*</c> matches
    /// any group, resource or verb). For tests that hold the requests a cmdlet makes against its role.
    /// </summary>
    public static bool Allows(IEnumerable<RbacRule> rules, string apiGroup, string resource, string verb) =>
        rules.Any(r => (r.ApiGroup == "*" || r.ApiGroup == apiGroup)
            && (r.Resource == "*" || r.Resource == resource)
            && r.Verbs.Any(v => v == "*" || v == verb));
}
