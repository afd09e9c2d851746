namespace KubeBackup.Core.Specs;

/// <summary>
/// The fields of Velero's v1 <c>BackupSpec</c>: those KubeBackup maps, and those it knows but ignores, each with the
/// reason a user reads in the warning. docs/velero-compatibility.md is the same table for people.
/// </summary>
internal static class VeleroBackupFields
{
    public static readonly string[] Supported =
    [
        "metadata", "includedNamespaces", "excludedNamespaces", "includedResources", "excludedResources",
        "includeClusterResources", "labelSelector", "orLabelSelectors", "ttl", "storageLocation", "hooks",
        "snapshotVolumes", "csiSnapshotTimeout",
    ];

    private const string Snapshots = "KubeBackup takes CSI snapshots only (snapshotVolumes: true), in the claims' own storage, and moves no snapshot data; "
        + "the volumes are snapshotted as snapshotVolumes says";

    private const string NoNodeAgent = "KubeBackup has no node agent for file-system backup of pod volumes; the volumes' contents are not backed up";

    private const string ScopedFilters = "the scoped resource filters are not implemented; say the same with includedResources, "
        + "excludedResources and includeClusterResources (New-KbBackup -IncludeResource, -ExcludeResource, -IncludeClusterResources), "
        + "otherwise this backup's scope differs from Velero's";

    public static readonly IReadOnlyDictionary<string, string> Ignored = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["volumeSnapshotLocations"] = Snapshots,
        ["volumeGroupSnapshotLabelKey"] = Snapshots,
        ["snapshotMoveData"] = Snapshots,
        ["datamover"] = Snapshots,
        ["defaultVolumesToFsBackup"] = NoNodeAgent,
        ["defaultVolumesToRestic"] = NoNodeAgent,
        ["uploaderConfig"] = NoNodeAgent,
        ["includedClusterScopedResources"] = ScopedFilters,
        ["excludedClusterScopedResources"] = ScopedFilters,
        ["includedNamespaceScopedResources"] = ScopedFilters,
        ["excludedNamespaceScopedResources"] = ScopedFilters,
        ["orderedResources"] = "KubeBackup reads items concurrently and keeps no backup order",
        ["itemOperationTimeout"] = "KubeBackup runs no asynchronous backup item actions (Velero plugins)",
        ["resourcePolicy"] = "Velero resource policies (a ConfigMap of volume and resource rules) are not supported",
    };

    public static readonly IReadOnlyCollection<string> All = [.. Supported, .. Ignored.Keys];
}
