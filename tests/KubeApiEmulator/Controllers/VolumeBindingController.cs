using System.Text.Json.Nodes;
using KubeApiEmulator.Api;
using KubeApiEmulator.Semantics;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Controllers;

/// <summary>
/// The PV controller and a CSI provisioner: pending claims bind to matching available volumes, or get a new
/// volume from a StorageClass with a provisioner (also from a ready VolumeSnapshot data source); released
/// volumes are deleted or kept per reclaim policy.
/// </summary>
public sealed class VolumeBindingController : IController
{
    private const string PvcKey = "/persistentvolumeclaims";
    private const string PvKey = "/persistentvolumes";
    private const string NoProvisioner = "kubernetes.io/no-provisioner";

    public void OnEvent(WatchEvent e, ControllerContext context)
    {
        if (!context.Settings.VolumeBinding)
            return;
        switch (e.StorageKey, e.Type)
        {
            case (PvcKey, WatchEventType.Deleted):
                Release(e.Object, context);
                break;
            case (PvcKey, _):
                ReleaseProtection(context.Def("", "persistentvolumeclaims")!, e.Object, ProtectionFinalizers.Claim, context);
                BindClaim(e.Object.Namespace, e.Object.Name, context);
                break;
            case (PvKey, not WatchEventType.Deleted):
                ReleaseProtection(context.Def("", "persistentvolumes")!, e.Object, ProtectionFinalizers.Volume, context);
                MakeAvailable(e.Object.Name, context);
                break;
            case (SnapshotController.SnapshotKey, not WatchEventType.Deleted):
                foreach (var claim in context.Service.Store.Snapshot(PvcKey).Set.Where(c => c.Namespace == e.Object.Namespace))
                    BindClaim(claim.Namespace, claim.Name, context);
                break;
        }
    }

    public void Resync(ControllerContext context)
    {
        if (!context.Settings.VolumeBinding)
            return;
        foreach (var pv in context.Service.Store.Snapshot(PvKey).Set)
            MakeAvailable(pv.Name, context);
        foreach (var claim in context.Service.Store.Snapshot(PvcKey).Set)
            BindClaim(claim.Namespace, claim.Name, context);
    }

    private static void MakeAvailable(string name, ControllerContext context)
    {
        var pvDef = context.Def("", "persistentvolumes")!;
        var pv = context.Get(pvDef, "", name);
        if (pv is null || pv.Text("status.phase") != "Pending" || pv.At("spec.claimRef") is not null)
            return;
        SetPhase(context, pvDef, name, "Available");
    }

    private static void BindClaim(string ns, string name, ControllerContext context)
    {
        var pvcDef = context.Def("", "persistentvolumeclaims")!;
        var pvDef = context.Def("", "persistentvolumes")!;
        var claim = context.Get(pvcDef, ns, name);
        if (claim is null || claim.Text("status.phase") == "Bound" || claim.At("metadata.deletionTimestamp") is not null)
            return;
        var volumeName = claim.Text("spec.volumeName");
        JsonObject? volume = null;
        if (!string.IsNullOrEmpty(volumeName))
        {
            volume = context.Get(pvDef, "", volumeName);
            if (volume is null || volume.At("spec.claimRef") is JsonObject claimRef && claimRef.Text("uid") is { } uid && uid != claim.Text("metadata.uid"))
                return;
        }
        volume ??= FindAvailable(claim, context);
        volume ??= Provision(claim, context);
        if (volume is null)
            return;
        Bind(claim, volume, context);
    }

    private static JsonObject? FindAvailable(JsonObject claim, ControllerContext context)
    {
        var wanted = Quantity.Parse(claim.Text("spec.resources.requests.storage")) ?? 0;
        var cls = claim.Text("spec.storageClassName") ?? "";
        var modes = (claim.At("spec.accessModes") as JsonArray ?? []).Select(m => (string?)m).ToHashSet();
        return context.Service.Store.Snapshot(PvKey).Set.Select(p => p.ToNode())
            .Where(p => p.Text("status.phase") == "Available" && p.At("spec.claimRef") is null
                && (p.Text("spec.storageClassName") ?? "") == cls
                && (Quantity.Parse(p.Text("spec.capacity.storage")) ?? 0) >= wanted
                && modes.All(m => (p.At("spec.accessModes") as JsonArray ?? []).Any(pm => (string?)pm == m)))
            .OrderBy(p => Quantity.Parse(p.Text("spec.capacity.storage")) ?? 0)
            .FirstOrDefault();
    }

    private static JsonObject? Provision(JsonObject claim, ControllerContext context)
    {
        var clsName = claim.Text("spec.storageClassName");
        if (string.IsNullOrEmpty(clsName))
            return null;
        var scDef = context.Def("storage.k8s.io", "storageclasses")!;
        var sc = context.Get(scDef, "", clsName);
        var provisioner = sc?.Text("provisioner");
        if (sc is null || string.IsNullOrEmpty(provisioner) || provisioner == NoProvisioner)
            return null;
        var size = claim.Text("spec.resources.requests.storage") ?? "1Gi";
        var ns = claim.Text("metadata.namespace") ?? "";
        if (claim.At("spec.dataSource") is JsonObject source && source.Text("kind") == "VolumeSnapshot")
        {
            var vsDef = context.Def(SnapshotCrds.Group, "volumesnapshots");
            var snapshot = vsDef is null ? null : context.Get(vsDef, ns, source.Text("name") ?? "");
            if (snapshot is null || !snapshot.Flag("status.readyToUse"))
                return null;
        }
        var pvDef = context.Def("", "persistentvolumes")!;
        var name = "pvc-" + claim.Text("metadata.uid");
        if (context.Get(pvDef, "", name) is { } existing)
            return existing;
        var pv = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "PersistentVolume",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["annotations"] = new JsonObject { ["pv.kubernetes.io/provisioned-by"] = provisioner, ["volume.kubernetes.io/provisioner-deletion-secret-name"] = "", ["volume.kubernetes.io/provisioner-deletion-secret-namespace"] = "" },
            },
            ["spec"] = new JsonObject
            {
                ["accessModes"] = claim.At("spec.accessModes")?.DeepClone() ?? new JsonArray("ReadWriteOnce"),
                ["capacity"] = new JsonObject { ["storage"] = size },
                ["claimRef"] = ClaimRef(claim),
                ["csi"] = new JsonObject
                {
                    ["driver"] = provisioner,
                    ["fsType"] = "ext4",
                    ["volumeHandle"] = Guid.NewGuid().ToString(),
                    ["volumeAttributes"] = new JsonObject { ["storage.kubernetes.io/csiProvisionerIdentity"] = "1700000000000-emulator-" + provisioner },
                },
                ["persistentVolumeReclaimPolicy"] = sc.Text("reclaimPolicy") ?? "Delete",
                ["storageClassName"] = clsName,
                ["volumeMode"] = claim.Text("spec.volumeMode") ?? "Filesystem",
            },
        };
        return context.Service.Create(pvDef, "", pv, WriteOptions.Default).Object;
    }

    private static JsonObject ClaimRef(JsonObject claim) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "PersistentVolumeClaim",
        ["name"] = claim.Text("metadata.name"),
        ["namespace"] = claim.Text("metadata.namespace"),
        ["resourceVersion"] = claim.Text("metadata.resourceVersion"),
        ["uid"] = claim.Text("metadata.uid"),
    };

    private static void Bind(JsonObject claim, JsonObject volume, ControllerContext context)
    {
        var pvDef = context.Def("", "persistentvolumes")!;
        var pvcDef = context.Def("", "persistentvolumeclaims")!;
        var pvName = volume.Text("metadata.name") ?? "";
        var ns = claim.Text("metadata.namespace") ?? "";
        var name = claim.Text("metadata.name") ?? "";
        context.Mutate(pvDef, "", pvName, pv =>
        {
            if (pv.Text("spec.claimRef.uid") == claim.Text("metadata.uid"))
                return false;
            pv.Child("spec")["claimRef"] = ClaimRef(claim);
            return true;
        }, status: false);
        SetPhase(context, pvDef, pvName, "Bound");
        var provisioner = volume.Text("spec.csi.driver");
        context.Mutate(pvcDef, ns, name, pvc =>
        {
            if (pvc.Text("spec.volumeName") == pvName && (pvc.At("metadata.annotations") as JsonObject)?.ContainsKey("pv.kubernetes.io/bind-completed") == true)
                return false;
            pvc.Child("spec")["volumeName"] = pvName;
            var annotations = pvc.Metadata().Child("annotations");
            annotations["pv.kubernetes.io/bind-completed"] = "yes";
            annotations["pv.kubernetes.io/bound-by-controller"] = "yes";
            if (provisioner is not null && volume.At("metadata.annotations") is JsonObject a && a.ContainsKey("pv.kubernetes.io/provisioned-by"))
            {
                annotations["volume.beta.kubernetes.io/storage-provisioner"] = provisioner;
                annotations["volume.kubernetes.io/storage-provisioner"] = provisioner;
            }
            return true;
        }, status: false);
        context.Mutate(pvcDef, ns, name, pvc =>
        {
            if (pvc.Text("status.phase") == "Bound")
                return false;
            var status = pvc.Child("status");
            status["phase"] = "Bound";
            status["accessModes"] = volume.At("spec.accessModes")?.DeepClone();
            status["capacity"] = volume.At("spec.capacity")?.DeepClone();
            return true;
        }, status: true);
    }

    /// <summary>A deleted claim releases its volume: Delete removes it, Retain leaves it Released.</summary>
    private static void Release(StoredObject deletedClaim, ControllerContext context)
    {
        var pvDef = context.Def("", "persistentvolumes")!;
        foreach (var pv in context.Service.Store.Snapshot(PvKey).Set)
        {
            var node = pv.ToNode();
            if (node.Text("spec.claimRef.uid") != deletedClaim.Uid)
                continue;
            if (node.Text("spec.persistentVolumeReclaimPolicy") == "Delete")
            {
                context.Mutate(pvDef, "", pv.Name, p =>
                {
                    p.Metadata().Remove("finalizers");
                    return true;
                }, status: false);
                try
                {
                    context.Service.Delete(pvDef, "", pv.Name, DeleteRequest.Default);
                }
                catch (ApiException)
                {
                }
            }
            else
            {
                SetPhase(context, pvDef, pv.Name, "Released");
            }
        }
    }

    /// <summary>The protection controllers: a deleted claim or volume loses its protection finalizer (no pods hold it here).</summary>
    private static void ReleaseProtection(Resources.ResourceDefinition def, StoredObject o, string finalizer, ControllerContext context)
    {
        var node = o.ToNode();
        if (node.At("metadata.deletionTimestamp") is null || node.At("metadata.finalizers") is not JsonArray finalizers
            || !finalizers.Any(f => (string?)f == finalizer))
            return;
        context.Mutate(def, o.Namespace, o.Name, current =>
        {
            if (current.At("metadata.finalizers") is not JsonArray list)
                return false;
            foreach (var f in list.Where(f => (string?)f == finalizer).ToList())
                list.Remove(f);
            return true;
        }, status: false);
    }

    private static void SetPhase(ControllerContext context, Resources.ResourceDefinition def, string name, string phase) =>
        context.Mutate(def, "", name, o =>
        {
            if (o.Text("status.phase") == phase)
                return false;
            o.Child("status")["phase"] = phase;
            return true;
        }, status: true);
}
