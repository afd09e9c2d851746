using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Cluster.Api;
using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Restore.Transforms;
using KubeBackup.Core.Snapshots;

namespace KubeBackup.Core.Restore;

/// <summary>
/// Claims the backup snapshotted (-SnapshotVolumes) are restored from their snapshots (the claim transform sets
/// <c>dataSource</c>): here each such claim gets the VolumeSnapshot it names, bound to a pre-provisioned
/// VolumeSnapshotContent that points at the snapshot's handle in the storage system, as Velero's CSI restore does. That
/// works in any cluster whose driver reaches the storage, whether the original snapshot objects survived or not.
/// Other snapshot objects in the backup are not restored: a VolumeSnapshot of a claim would snapshot the restored claim
/// anew rather than bring its data back, and contents belong to the snapshots they are recreated for.
/// </summary>
internal static class SnapshotClaims
{
    private const string SnapshotResource = "volumesnapshots";
    private const string ContentResource = "volumesnapshotcontents";

    /// <summary>The ready snapshots of a backup by (namespace, claim), for <see cref="RestoreContext.SnapshotOf"/>.</summary>
    public static Dictionary<(string, string), BackupVolumeSnapshot> ReadyByClaim(IReadOnlyList<BackupVolumeSnapshot> snapshots) =>
        snapshots.Where(s => s.Ready).GroupBy(s => (s.Namespace, s.PersistentVolumeClaim)).ToDictionary(g => g.Key, g => g.First());

    /// <summary>Adds the snapshot objects restored claims need, and sets aside the backup's other snapshot objects.</summary>
    public static void Plan(List<PlannedItem> planned, RestoreContext context, DiscoveredResources target)
    {
        var snapshotTier = RestorePriorities.TierOf(VolumeSnapshotClient.Group, SnapshotResource);
        var contentTier = RestorePriorities.TierOf(VolumeSnapshotClient.Group, ContentResource);
        var needed = new Dictionary<(string, string), (BackupVolumeSnapshot Snapshot, PlannedItem Claim)>();
        foreach (var claim in planned.Where(p => p.Key.Resource == "persistentvolumeclaims" && p.Key.Group.Length == 0 && p.Body is not null))
        {
            if (context.SnapshotOf(claim.Key.Namespace!, claim.Key.Name) is { } snapshot)
            {
                needed[(claim.TargetNamespace!, snapshot.Snapshot)] = (snapshot, claim);
            }
        }
        var backedUp = new Dictionary<(string, string), PlannedItem>();
        foreach (var item in planned.Where(p => p.Key.Group == VolumeSnapshotClient.Group && p.Key.Resource is SnapshotResource or ContentResource && p.Body is not null))
        {
            item.Body = null;
            item.HasStatus = false;
            item.Action = RestoreAction.Skip;
            item.Reason = item.Key.Resource == ContentResource
                ? "Snapshot contents are recreated only for the snapshots restored claims need."
                : "Not the snapshot a restored claim needs: restoring it would take a new snapshot of the restored claim, not bring back the data it held.";
            if (item.Key.Resource == SnapshotResource)
            {
                backedUp[(item.TargetNamespace!, item.TargetName)] = item;
            }
        }
        if (needed.Count == 0)
        {
            return;
        }
        var served = target.All.Any(r => r.Group == VolumeSnapshotClient.Group && r.Resource == SnapshotResource);
        foreach (var ((ns, _), (snapshot, claim)) in needed.OrderBy(n => n.Key))
        {
            if (!served)
            {
                (claim.Action, claim.Body) = (RestoreAction.Invalid, null);
                claim.Reason = $"The backup holds its data in snapshot {snapshot.Snapshot}, but the target cluster serves no {VolumeSnapshotClient.Group} VolumeSnapshots; install the CSI snapshot CRDs and controller, or restore without this claim.";
                continue;
            }
            var content = ContentName(ns, snapshot);
            planned.Add(Synthetic(ContentResource, null, content, "VolumeSnapshotContent", contentTier, context, new JsonObject
            {
                // Retain: the storage's snapshot is shared with the backup, which must outlive any restore of it.
                ["deletionPolicy"] = "Retain",
                ["driver"] = snapshot.Driver,
                ["source"] = new JsonObject { ["snapshotHandle"] = snapshot.SnapshotHandle },
                ["volumeSnapshotClassName"] = snapshot.SnapshotClass,
                ["volumeSnapshotRef"] = new JsonObject
                {
                    ["apiVersion"] = $"{VolumeSnapshotClient.Group}/{VolumeSnapshotClient.Version}",
                    ["kind"] = "VolumeSnapshot",
                    ["name"] = snapshot.Snapshot,
                    ["namespace"] = ns,
                },
            }));
            var recreated = Synthetic(SnapshotResource, ns, snapshot.Snapshot, "VolumeSnapshot", snapshotTier, context, new JsonObject
            {
                ["source"] = new JsonObject { ["volumeSnapshotContentName"] = content },
                ["volumeSnapshotClassName"] = snapshot.SnapshotClass,
            }, new JsonObject { [SnapshotLabels.SourcePvc] = snapshot.PersistentVolumeClaim });
            if (backedUp.TryGetValue((ns, snapshot.Snapshot), out var item))
            {
                // The backed-up object itself, its source turned from the claim to the pre-provisioned content.
                (item.Body, item.Action, item.Reason) = (recreated.Body, RestoreAction.Create, null);
            }
            else
            {
                planned.Add(recreated);
            }
        }
    }

    /// <summary>
    /// A claim whose snapshot still exists in the target (a restore into the cluster and namespace it came from) uses it
    /// as it is; a second content for it would stay unbound. Asked of the live cluster, for a plan and a run alike.
    /// </summary>
    public static async Task UseExistingSnapshotsAsync(List<PlannedItem> planned, ObjectClient objects, CancellationToken cancellationToken)
    {
        var contents = planned.Where(p => p.Synthetic && p.Key.Group == VolumeSnapshotClient.Group && p.Key.Resource == ContentResource && p.Body is not null).ToList();
        foreach (var content in contents)
        {
            var body = content.ParseBody();
            var reference = body["spec"]?["volumeSnapshotRef"];
            var (ns, name) = ((string)reference!["namespace"]!, (string)reference["name"]!);
            System.Text.Json.Nodes.JsonObject? existing;
            try
            {
                existing = await objects.GetAsync(VolumeSnapshotClient.SnapshotsPath(ns, name), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ApiResponseError or HttpRequestException)
            {
                continue; // Unknown: the content is created, as if the snapshot were gone.
            }
            if (existing is not null && existing["metadata"]?["deletionTimestamp"] is null)
            {
                content.Body = null;
                content.Action = RestoreAction.Skip;
                content.Reason = $"VolumeSnapshot {ns}/{name} exists in the target cluster; the claim is restored from it as it is.";
            }
        }
    }

    /// <summary>One content per target namespace and snapshot: a re-run finds the same name.</summary>
    private static string ContentName(string ns, BackupVolumeSnapshot snapshot)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{ns}/{snapshot.Snapshot}/{snapshot.SnapshotHandle}")))[..8].ToLowerInvariant();
        return SnapshotNames.Fit($"{ns}-{snapshot.Snapshot}".ToLowerInvariant(), SnapshotNames.MaxLength - hash.Length - 1) + "-" + hash;
    }

    private static PlannedItem Synthetic(string resource, string? ns, string name, string kind, int tier, RestoreContext context, JsonObject spec, JsonObject? labels = null)
    {
        labels ??= [];
        labels[RestoreLabels.BackupName] = RestoreLabels.Value(context.BackupName);
        labels[RestoreLabels.RestoreName] = RestoreLabels.Value(context.RestoreName);
        var metadata = new JsonObject { ["name"] = name, ["labels"] = labels };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }
        return new PlannedItem
        {
            Key = new ItemKey(VolumeSnapshotClient.Group, VolumeSnapshotClient.Version, resource, ns, name),
            Kind = kind,
            TargetNamespace = ns,
            TargetName = name,
            Tier = tier,
            Synthetic = true,
            Body = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
            {
                ["apiVersion"] = $"{VolumeSnapshotClient.Group}/{VolumeSnapshotClient.Version}",
                ["kind"] = kind,
                ["metadata"] = metadata,
                ["spec"] = spec,
            }),
        };
    }
}
