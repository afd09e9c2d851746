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
}
