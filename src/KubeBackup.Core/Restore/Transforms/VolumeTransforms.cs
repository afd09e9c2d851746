using System.Text.Json.Nodes;

namespace KubeBackup.Core.Restore.Transforms;

/// <summary>PersistentVolumeClaims and PersistentVolumes lose the marks of their binding in the source cluster, so the
/// target's volume controller binds them anew: a claim to its restored volume, or to a newly provisioned one.</summary>
internal static class VolumeTransforms
{
    private const string BindCompleted = "pv.kubernetes.io/bind-completed";
    private const string BoundByController = "pv.kubernetes.io/bound-by-controller";
    private const string SelectedNode = "volume.kubernetes.io/selected-node";

    public static void PrepareClaim(JsonObject claim, string originalNamespace, string name, RestoreContext context)
    {
        if (Json.Object(claim["metadata"], "annotations") is { } annotations)
        {
            annotations.Remove(BindCompleted);
            annotations.Remove(BoundByController);
            // Names a node of the source cluster; with it, provisioning waits for a node that never comes.
            annotations.Remove(SelectedNode);
        }
        var spec = Json.ObjectOrNew(claim, "spec");
        if (context.SnapshotOf(originalNamespace, name) is { } snapshot)
        {
            // A new volume is provisioned from the snapshot; the old volume, if any, is not the claim's any more.
            spec.Remove("volumeName");
            spec.Remove("dataSourceRef");
            spec["dataSource"] = new JsonObject
            {
                ["apiGroup"] = Snapshots.VolumeSnapshotClient.Group,
                ["kind"] = "VolumeSnapshot",
                ["name"] = snapshot.Snapshot,
            };
        }
        else if (Json.String(spec["volumeName"]) is { } volume && !context.IsRestored("v1", "PersistentVolume", null, volume))
        {
            spec.Remove("volumeName");
        }
    }

    /// <summary>A volume whose claim is restored from the backup's snapshot is not restored: the claim gets a new one.</summary>
    public static string? SkipReason(JsonObject volume, RestoreContext context) =>
        Json.Object(Json.Object(volume, "spec"), "claimRef") is { } claimRef
        && Json.String(claimRef["namespace"]) is { } ns && Json.String(claimRef["name"]) is { } claim
        && context.SnapshotOf(ns, claim) is { } snapshot
            ? $"Its claim {ns}/{claim} is restored from the backup's snapshot {snapshot.Snapshot}, onto a newly provisioned volume."
            : null;

    public static void PrepareVolume(JsonObject volume, RestoreContext context)
    {
        Json.Object(volume["metadata"], "annotations")?.Remove(BoundByController);
        if (Json.Object(Json.Object(volume, "spec"), "claimRef") is { } claimRef)
        {
            // The claim is recreated with a new uid; a stale uid would leave the volume Released instead of bound.
            claimRef.Remove("uid");
            claimRef.Remove("resourceVersion");
            if (Json.String(claimRef["namespace"]) is { } ns)
            {
                claimRef["namespace"] = context.TargetNamespace(ns);
            }
        }
    }
}
