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

    /// <summary>
    /// New-KbVolumeSnapshot, Get-KbVolumeSnapshot, Remove-KbVolumeSnapshot and Remove-KbExpiredSnapshot: find the
    /// claims and their driver (the StorageClass's provisioner, else the volume's CSI driver), choose the snapshot
    /// class, create, poll and delete snapshots, and read a snapshot's content before deleting it (to release one a
    /// backup retained). Whether the snapshot API is installed is asked of discovery, which every account may read.
    /// SnapshotRoleTests holds this table against the requests the cmdlets make: each is allowed, and each is used.
    /// </summary>
    public static IReadOnlyList<RbacRule> Snapshot { get; } =
    [
        RbacRule.Namespaced(Core, "persistentvolumeclaims", "get", "list"),
        RbacRule.Cluster(Core, "persistentvolumes", "get"),
        RbacRule.Cluster(Storage, "storageclasses", "list"),
        RbacRule.Cluster(Snapshots, "volumesnapshotclasses", "list"),
        RbacRule.Namespaced(Snapshots, "volumesnapshots", "get", "list", "create", "delete"),
        RbacRule.Cluster(Snapshots, "volumesnapshotcontents", "get"),
    ];

    /// <summary>
    /// New-KbBackup: read every type the cluster serves (a backup lists each served type, custom ones included, and
    /// reads the volumes and definitions its items need; which types exist is not known in advance, so this is
    /// Velero's read-everything rule, Secrets included, without any write); run hooks in pods (a websocket exec is
    /// authorized as <c>get</c> on pods/exec before Kubernetes 1.35 and as <c>create</c> from 1.35 on
    /// (AuthorizePodWebsocketUpgradeCreatePermission), so both); with -SnapshotVolumes, create snapshots and set their
    /// contents to Retain. RbacRoleTests holds it against the requests a backup with hooks and snapshots makes.
    /// </summary>
    public static IReadOnlyList<RbacRule> Backup { get; } =
    [
        RbacRule.Cluster("*", "*", "get", "list"),
        RbacRule.Namespaced(Core, "pods/exec", "get", "create"),
        RbacRule.Namespaced(Snapshots, "volumesnapshots", "create"),
        RbacRule.Cluster(Snapshots, "volumesnapshotcontents", "patch"),
    ];

    /// <summary>
    /// Set-KbStandby and Invoke-KbFailover, in the DR cluster and (for -FencePrimary) the primary: read each namespace
    /// (it exists; its sync and promoted marks), mark or release it, and list, read (readiness) and scale its Deployments
    /// and StatefulSets with merge patches. Not Sync-KbStandby: a sync is a restore, which writes every kind the backup
    /// holds. RbacRoleTests holds this table against the requests standby, failover and standby again make.
    /// </summary>
    public static IReadOnlyList<RbacRule> Failover { get; } =
    [
        RbacRule.Cluster(Core, "namespaces", "get", "patch"),
        RbacRule.Namespaced("apps", "deployments", "get", "list", "patch"),
        RbacRule.Namespaced("apps", "statefulsets", "get", "list", "patch"),
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
