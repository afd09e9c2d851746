using System.Text.Json.Nodes;

namespace KubeBackup.Core.Restore.Transforms;

/// <summary>Resource types whose objects describe the source cluster's machinery rather than its workloads, and the
/// objects a controller of the target cluster makes by itself.</summary>
internal static class NeverRestored
{
    private const string EndpointSliceManagedBy = "endpointslice.kubernetes.io/managed-by";

    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        ["nodes"] = "never restored: nodes belong to the source cluster; the target cluster registers its own",
        ["events"] = "never restored: events are a record of the source cluster's past",
        ["events.events.k8s.io"] = "never restored: events are a record of the source cluster's past",
        ["componentstatuses"] = "never restored: component statuses are computed by the API server on read",
        ["csinodes.storage.k8s.io"] = "never restored: CSI nodes are made by the kubelet of each node",
        ["volumeattachments.storage.k8s.io"] = "never restored: volume attachments bind volumes to the source cluster's nodes",
        // Leases hold leader elections and node heartbeats of the source cluster's processes. Node leases name nodes
        // that are not restored, and a restored election lease only makes the target's controllers wait one lease
        // duration for a holder that never renews; every holder creates its lease itself.
        ["leases.coordination.k8s.io"] = "never restored: leases are leader elections and node heartbeats of the source cluster's processes",
    };

    // Velero's state about its own storage: restored into another cluster, its Velero would sync, expire and schedule
    // against the source cluster's backup locations (Velero itself never restores backups, restores or repositories).
    private const string VeleroGroup = "velero.io";

    // Every namespace gets this ConfigMap from the root CA publisher of its own cluster; the source cluster's CA
    // bundle does not belong in the target, and comparing the two shows only that the clusters differ.
    private const string RootCaConfigMap = "kube-root-ca.crt";

    /// <summary>Why this item is never restored (by its type, or as an object the target cluster publishes itself), or null.</summary>
    public static string? ReasonFor(Repository.ItemKey key)
    {
        var fullName = key.Group.Length == 0 ? key.Resource : $"{key.Resource}.{key.Group}";
        return ReasonFor(key.Group, fullName)
            ?? (fullName == "configmaps" && key.Name == RootCaConfigMap
                ? "never restored: the target cluster publishes its own root CA bundle into every namespace"
                : null);
    }

    /// <summary>Why an item of this type is never restored, or null.</summary>
    public static string? ReasonFor(string group, string fullName) =>
        Types.TryGetValue(fullName, out var reason) ? reason
        : group == VeleroGroup ? "never restored: Velero's objects describe the source cluster's Velero and its storage"
        : null;

    /// <summary>
    /// EndpointSlices the EndpointSlice controller (or its mirroring controller, from restored Endpoints) maintains come
    /// back from the restored Service; a restored copy would carry the source cluster's pod IPs until replaced. Slices a
    /// user manages for a Service without a selector have no controller and are restored.
    /// </summary>
    public static string? EndpointSliceReason(JsonObject item) =>
        Json.String(Json.Object(item["metadata"], "labels")?[EndpointSliceManagedBy]) switch
        {
            "endpointslice-controller.k8s.io" => "left to the EndpointSlice controller of the restored Service",
            "endpointslicemirroring-controller.k8s.io" => "left to the EndpointSlice mirroring controller of the restored Endpoints",
            _ => null,
        };
}
