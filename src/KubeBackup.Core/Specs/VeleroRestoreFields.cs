namespace KubeBackup.Core.Specs;

/// <summary>
/// The fields of Velero's v1 <c>RestoreSpec</c>: those KubeBackup maps, and those it knows but ignores, each with the
/// reason a user reads in the warning. docs/velero-compatibility.md is the same table for people.
/// </summary>
internal static class VeleroRestoreFields
{
    public static readonly string[] Supported =
    [
        "backupName", "scheduleName", "includedNamespaces", "excludedNamespaces", "includedResources", "excludedResources",
        "namespaceMapping", "labelSelector", "orLabelSelectors", "restoreStatus", "includeClusterResources", "preserveNodePorts",
        "existingResourcePolicy", "restorePVs",
    ];

    public static readonly string[] RestoreStatusFields = ["includedResources", "excludedResources"];

    public static readonly IReadOnlyDictionary<string, string> Ignored = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["hooks"] = "restore hooks (init containers and exec in restored pods) are not supported",
        ["resourceModifier"] = "resource modifiers (a ConfigMap of JSON patches applied to restored items) are not supported",
        ["uploaderConfig"] = "KubeBackup has no node agent; there is no file-system restore for the uploader settings to tune",
        ["itemOperationTimeout"] = "KubeBackup runs no asynchronous restore item actions (Velero plugins)",
    };

    public static readonly IReadOnlyCollection<string> All = [.. Supported, .. Ignored.Keys];
}
