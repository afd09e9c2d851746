using System.Globalization;
using System.Text.Json.Nodes;
using KubeApiEmulator.Api;
using KubeApiEmulator.Resources;
using KubeApiEmulator.Semantics;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Controllers;

/// <summary>
/// The CSI snapshot controller and sidecar: a VolumeSnapshot gets its default class, a bound
/// VolumeSnapshotContent and, after a delay, readyToUse (or the configured error, or never).
/// Deleting a snapshot deletes its content when the deletion policy is Delete.
/// </summary>
public sealed class SnapshotController : IController
{
    public const string SnapshotKey = SnapshotCrds.Group + "/volumesnapshots";
    private const string ContentKey = SnapshotCrds.Group + "/volumesnapshotcontents";
    private readonly HashSet<(string Ns, string Name)> _scheduled = [];

    public void OnEvent(WatchEvent e, ControllerContext context)
    {
        if (!context.Settings.Snapshots || e.StorageKey != SnapshotKey)
            return;
        if (e.Type == WatchEventType.Deleted)
            DeleteContent(e.Object, context);
        else
            Consider(e.Object, context);
    }

    public void Resync(ControllerContext context)
    {
        if (!context.Settings.Snapshots)
            return;
        foreach (var s in context.Service.Store.Snapshot(SnapshotKey).Set)
            Consider(s, context);
    }

    private void Consider(StoredObject snapshot, ControllerContext context)
    {
        var node = snapshot.ToNode();
        if (node.Flag("status.readyToUse") || node.At("status.error") is not null || node.At("metadata.deletionTimestamp") is not null)
            return;
        if (!_scheduled.Add((snapshot.Namespace, snapshot.Name)))
            return;
        context.Schedule(context.Settings.SnapshotReadyDelay, () =>
        {
            _scheduled.Remove((snapshot.Namespace, snapshot.Name));
            if (context.Settings.Snapshots)
                Reconcile(snapshot.Namespace, snapshot.Name, context);
        });
    }

    private static void Reconcile(string ns, string name, ControllerContext context)
    {
        var vsDef = context.Def(SnapshotCrds.Group, "volumesnapshots");
        var contentDef = context.Def(SnapshotCrds.Group, "volumesnapshotcontents");
        if (vsDef is null || contentDef is null)
            return;
        var snapshot = context.Get(vsDef, ns, name);
        if (snapshot is null || snapshot.Flag("status.readyToUse") || snapshot.At("status.error") is not null)
            return;
        var key = ns + "/" + name;
        if (NameKeys.Lookup(context.Settings.SnapshotErrors, key) is { } message)
        {
            Fail(vsDef, ns, name, message, context);
            return;
        }
        var className = snapshot.Text("spec.volumeSnapshotClassName") ?? DefaultClass(context);
        var cls = className is null ? null : context.Get(context.Def(SnapshotCrds.Group, "volumesnapshotclasses")!, "", className);
        if (className is not null && snapshot.Text("spec.volumeSnapshotClassName") is null)
            context.Mutate(vsDef, ns, name, s =>
            {
                s.Child("spec")["volumeSnapshotClassName"] = className;
                return true;
            }, status: false);

        string? contentName = snapshot.Text("spec.source.volumeSnapshotContentName");
        string restoreSize;
        if (contentName is not null)
        {
            var pre = context.Get(contentDef, "", contentName);
            if (pre is null)
                return;
            restoreSize = pre.Long("status.restoreSize") is { } bytes ? bytes.ToString(CultureInfo.InvariantCulture) : "0";
        }
        else
        {
            var pvcName = snapshot.Text("spec.source.persistentVolumeClaimName") ?? "";
            var pvcDef = context.Def("", "persistentvolumeclaims")!;
            var pvc = context.Get(pvcDef, ns, pvcName);
            if (pvc is null)
            {
                Fail(vsDef, ns, name, $"failed to get input parameters to create snapshot {name}: \"persistentvolumeclaims \\\"{pvcName}\\\" not found\"", context);
                return;
            }
            if (pvc.Text("status.phase") != "Bound")
                return;
            var pv = context.Get(context.Def("", "persistentvolumes")!, "", pvc.Text("spec.volumeName") ?? "");
            restoreSize = pvc.Text("status.capacity.storage") ?? pvc.Text("spec.resources.requests.storage") ?? "0";
            contentName = "snapcontent-" + snapshot.Text("metadata.uid");
            if (context.Get(contentDef, "", contentName) is null)
            {
                var content = new JsonObject
                {
                    ["apiVersion"] = contentDef.GroupVersion,
                    ["kind"] = "VolumeSnapshotContent",
                    ["metadata"] = new JsonObject { ["name"] = contentName },
                    ["spec"] = new JsonObject
                    {
                        ["deletionPolicy"] = cls?.Text("deletionPolicy") ?? "Delete",
                        ["driver"] = cls?.Text("driver") ?? pv?.Text("spec.csi.driver") ?? "",
                        ["source"] = new JsonObject { ["volumeHandle"] = pv?.Text("spec.csi.volumeHandle") ?? pvc.Text("spec.volumeName") },
                        ["volumeSnapshotClassName"] = className,
                        ["volumeSnapshotRef"] = new JsonObject
                        {
                            ["apiVersion"] = vsDef.GroupVersion,
                            ["kind"] = "VolumeSnapshot",
                            ["name"] = name,
                            ["namespace"] = ns,
                            ["resourceVersion"] = snapshot.Text("metadata.resourceVersion"),
                            ["uid"] = snapshot.Text("metadata.uid"),
                        },
                    },
                };
                context.Service.Create(contentDef, "", content, WriteOptions.Default);
            }
        }

        var ready = !(context.Settings.SnapshotsNeverReady || NameKeys.Lookup(context.Settings.SnapshotsNeverReadyByName, key));
        var now = context.Now;
        var bytesSize = Quantity.Parse(restoreSize) ?? 0;
        context.Mutate(contentDef, "", contentName, c =>
        {
            var status = new JsonObject
            {
                ["creationTime"] = now.ToUnixTimeMilliseconds() * 1_000_000,
                ["readyToUse"] = ready,
                ["restoreSize"] = (long)bytesSize,
                ["snapshotHandle"] = c.Text("status.snapshotHandle") ?? Guid.NewGuid().ToString(),
            };
            if (c["status"].SameAs(status))
                return false;
            c["status"] = status;
            return true;
        }, status: true);
        context.Mutate(vsDef, ns, name, s =>
        {
            var status = s.Child("status");
            status["boundVolumeSnapshotContentName"] = contentName;
            status["creationTime"] = Timestamps.Format(now);
            status["readyToUse"] = ready;
            status["restoreSize"] = restoreSize.All(char.IsDigit) ? FormatBytes((long)bytesSize) : restoreSize;
            return true;
        }, status: true);
    }

    private static string FormatBytes(long bytes)
    {
        foreach (var (suffix, factor) in new[] { ("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10) })
            if (bytes > 0 && bytes % factor == 0)
                return (bytes / factor).ToString(CultureInfo.InvariantCulture) + suffix;
        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    private static void Fail(ResourceDefinition vsDef, string ns, string name, string message, ControllerContext context) =>
        context.Mutate(vsDef, ns, name, s =>
        {
            var status = s.Child("status");
            status["error"] = new JsonObject { ["message"] = message, ["time"] = Timestamps.Format(context.Now) };
            status["readyToUse"] = false;
            return true;
        }, status: true);

    private static string? DefaultClass(ControllerContext context)
    {
        foreach (var c in context.Service.Store.Snapshot(SnapshotCrds.Group + "/volumesnapshotclasses").Set)
        {
            var node = c.ToNode();
            if ((node.At("metadata.annotations") as JsonObject)?["snapshot.storage.kubernetes.io/is-default-class"] is JsonValue v
                && v.TryGetValue<string>(out var isDefault) && isDefault == "true")
                return c.Name;
        }
        return null;
    }

    private static void DeleteContent(StoredObject snapshot, ControllerContext context)
    {
        var contentDef = context.Def(SnapshotCrds.Group, "volumesnapshotcontents");
        var contentName = snapshot.ToNode().Text("status.boundVolumeSnapshotContentName");
        if (contentDef is null || contentName is null)
            return;
        var content = context.Get(contentDef, "", contentName);
        if (content is null || content.Text("spec.deletionPolicy") != "Delete" || content.Text("spec.volumeSnapshotRef.uid") != snapshot.Uid)
            return;
        try
        {
            context.Service.Delete(contentDef, "", contentName, DeleteRequest.Default);
        }
        catch (ApiException)
        {
        }
    }
}
