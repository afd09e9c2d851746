using System.Text.Json.Nodes;
using KubeApiEmulator.Api;
using KubeApiEmulator.Resources;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Semantics;

/// <summary>Kind-specific defaulting, allocation and validation run on every create and update.</summary>
public sealed class Admission(ClusterStore store, ServiceAllocator allocator)
{
    private static readonly IDisposable Nothing = new NoReservation();

    public IDisposable OnCreate(ResourceDefinition def, JsonObject obj)
    {
        Defaults.Apply(def.Group, def.Kind, obj);
        switch (def.Group, def.Kind)
        {
            case ("", "Namespace"):
                obj.Child("status")["phase"] = "Active";
                break;
            case ("", "PersistentVolumeClaim"):
                if (obj.At("spec.storageClassName") is null && DefaultStorageClass() is { } sc)
                    obj.Child("spec")["storageClassName"] = sc;
                obj.Child("status")["phase"] = "Pending";
                AddFinalizer(obj, ProtectionFinalizers.Claim);
                break;
            case ("", "PersistentVolume"):
                obj.Child("status")["phase"] = "Pending";
                AddFinalizer(obj, ProtectionFinalizers.Volume);
                break;
            case ("", "Pod"):
                var status = obj.Child("status");
                status["phase"] = "Pending";
                status["qosClass"] = "BestEffort";
                break;
            case ("", "Service"):
                obj.Child("status").SetDefault("loadBalancer", new JsonObject());
                return allocator.Allocate(def, obj, null);
            case ("batch", "Job"):
                JobSelector(def, obj);
                break;
            case ("apiextensions.k8s.io", "CustomResourceDefinition"):
                CustomResources.Validate(def, obj);
                break;
        }
        return Nothing;
    }

    public IDisposable OnUpdate(ResourceDefinition def, JsonObject old, JsonObject updated)
    {
        Defaults.Apply(def.Group, def.Kind, updated);
        UpdateRules.Check(def, old, updated);
        return def is { Group: "", Kind: "Service" } ? allocator.Allocate(def, updated, old) : Nothing;
    }

    private static void AddFinalizer(JsonObject obj, string finalizer)
    {
        var meta = obj.Metadata();
        if (meta["finalizers"] is not JsonArray list)
            meta["finalizers"] = list = new JsonArray();
        if (!list.Any(f => (string?)f == finalizer))
            list.Add(finalizer);
    }

    private string? DefaultStorageClass()
    {
        foreach (var sc in store.Snapshot("storage.k8s.io/storageclasses").Set)
        {
            var node = sc.ToNode();
            if ((node.At("metadata.annotations") as JsonObject)?["storageclass.kubernetes.io/is-default-class"] is JsonValue v
                && v.TryGetValue<string>(out var isDefault) && isDefault == "true")
                return sc.Name;
        }
        return null;
    }

    /// <summary>Jobs get a generated selector on the job's uid unless spec.manualSelector is true.</summary>
    private static void JobSelector(ResourceDefinition def, JsonObject job)
    {
        var spec = job.Child("spec");
        if (spec.Flag("manualSelector"))
            return;
        var name = job.Text("metadata.name") ?? "";
        if (spec["selector"] is not null)
            throw ApiException.Invalid(def, name,
            [
                FieldError.Invalid("spec.selector", spec["selector"]!.ToJsonString(), "`selector` not auto-generated"),
            ]);
        var uid = job.Text("metadata.uid") ?? "";
        spec["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["batch.kubernetes.io/controller-uid"] = uid } };
        var labels = spec.Child("template").Child("metadata").Child("labels");
        labels["batch.kubernetes.io/controller-uid"] = uid;
        labels["batch.kubernetes.io/job-name"] = name;
        labels["controller-uid"] = uid;
        labels["job-name"] = name;
    }

    private sealed class NoReservation : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
