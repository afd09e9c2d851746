using System.Text.Json.Nodes;
using KubeApiEmulator.Resources;
using KubeApiEmulator.Semantics;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Api;

public sealed partial class ObjectService
{
    /// <summary>
    /// Deletes an object. Objects with finalizers (and namespaces, always) only get a deletionTimestamp;
    /// the returned object is then the updated one and Deleted is false.
    /// </summary>
    public (JsonObject Object, bool Deleted) Delete(ResourceDefinition def, string ns, string name, DeleteRequest request)
    {
        var existing = Get(def, ns, name);
        var node = existing.ToNode();
        if (request.PreconditionUid is { Length: > 0 } uid && uid != existing.Uid)
            throw ApiException.Conflict(def, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {existing.Uid}");
        if (request.PreconditionResourceVersion is { Length: > 0 } rv && rv != Rv(existing))
            throw ApiException.Conflict(def, name, $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {Rv(existing)}");
        var finalizers = node.At("metadata.finalizers") as JsonArray;
        var graceful = def.Plural == "namespaces" && def.Group.Length == 0 || finalizers is { Count: > 0 };
        if (graceful)
        {
            if (node.At("metadata.deletionTimestamp") is not null)
                return (node, false);
            var meta = node.Metadata();
            meta["deletionTimestamp"] = Timestamps.Format(_time.GetUtcNow());
            meta["deletionGracePeriodSeconds"] = 0;
            if (def.Plural == "namespaces")
                node.Child("status")["phase"] = "Terminating";
            if (request.DryRun)
                return (node, false);
            try
            {
                _store.Write(def.StorageKey, node, WriteMode.Update, existing.ResourceVersion);
            }
            catch (StoreException)
            {
                throw ApiException.StaleUpdate(def, name);
            }
            return (node, false);
        }
        if (request.DryRun)
            return (node, true);
        if (request.PropagationPolicy == "Orphan")
            OrphanedOwners[existing.Uid] = true;
        try
        {
            _store.Delete(def.StorageKey, existing.Namespace, name, existing.ResourceVersion);
        }
        catch (StoreException e)
        {
            throw e.Error == StoreError.NotFound ? ApiException.NotFound(def, name) : ApiException.StaleUpdate(def, name);
        }
        AfterDelete(def, existing);
        return (node, true);
    }

    public IReadOnlyList<JsonObject> DeleteCollection(ResourceDefinition def, string? ns, ListQuery query, DeleteRequest request)
    {
        var deleted = new List<JsonObject>();
        foreach (var item in List(def, ns, query with { Limit = 0, Continue = null }).Items)
        {
            try
            {
                deleted.Add(Delete(def, item.Namespace, item.Name, request with { PreconditionUid = null, PreconditionResourceVersion = null }).Object);
            }
            catch (ApiException e) when (e.Code == 404)
            {
            }
        }
        return deleted;
    }

    /// <summary>The autoscaling/v1 Scale of a workload.</summary>
    public JsonObject GetScale(ResourceDefinition def, string ns, string name) => ScaleOf(Get(def, ns, name).ToNode());

    public JsonObject UpdateScale(ResourceDefinition def, string ns, string name, JsonObject scale, WriteOptions options)
    {
        var existing = Get(def, ns, name);
        var requested = scale.Text("metadata.resourceVersion");
        if (!string.IsNullOrEmpty(requested) && requested != Rv(existing))
            throw ApiException.StaleUpdate(def, name);
        var replicas = scale.Long("spec.replicas") ?? 0;
        if (replicas < 0)
            throw ApiException.Invalid(def, name, [new FieldError("spec.replicas", "FieldValueInvalid", $"Invalid value: {replicas}: must be greater than or equal to 0")]);
        var updated = existing.ToNode();
        updated.Child("spec")["replicas"] = replicas;
        var result = Commit(def, existing, Prepare(def, existing, updated, null), options);
        return ScaleOf(result.Object);
    }

    public JsonObject PatchScale(ResourceDefinition def, string ns, string name, string patchType, JsonNode patch, WriteOptions options)
    {
        var scaleDef = def with { Group = "autoscaling", Version = "v1", Plural = def.Plural, Kind = "Scale", IsCustom = false };
        var precondition = PatchTypes.SetsResourceVersion(patchType, patch);
        for (var attempt = 0; ; attempt++)
        {
            var scale = GetScale(def, ns, name);
            var patched = PatchTypes.ApplyTo(scaleDef, patchType == PatchTypes.Apply ? PatchTypes.Merge : patchType, scale, patch, name);
            if (!precondition)
                patched.Metadata().Remove("resourceVersion");
            try
            {
                return UpdateScale(def, ns, name, patched, options);
            }
            catch (ApiException e) when (e.Reason == "Conflict" && attempt < PatchRetries && !precondition)
            {
            }
        }
    }

    private static JsonObject ScaleOf(JsonObject obj)
    {
        var meta = new JsonObject { ["name"] = obj.Text("metadata.name") };
        if (obj.Text("metadata.namespace") is { } ns)
            meta["namespace"] = ns;
        meta["uid"] = obj.Text("metadata.uid");
        meta["resourceVersion"] = obj.Text("metadata.resourceVersion");
        meta["creationTimestamp"] = obj.Text("metadata.creationTimestamp");
        var selector = obj.At("spec.selector.matchLabels") is JsonObject labels
            ? string.Join(",", labels.Select(l => $"{l.Key}={(string?)l.Value}"))
            : "";
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = meta,
            ["spec"] = new JsonObject { ["replicas"] = obj.Long("spec.replicas") ?? 0 },
            ["status"] = new JsonObject { ["replicas"] = obj.Long("status.replicas") ?? 0, ["selector"] = selector },
        };
    }

    private void AfterCreate(ResourceDefinition def, JsonObject created)
    {
        if (def is { Group: "", Plural: "namespaces" })
            NamespaceDefaults(created.Text("metadata.name") ?? "");
        if (def is { Group: "apiextensions.k8s.io", Plural: "customresourcedefinitions" })
        {
            var definitions = CustomResources.DefinitionsFrom(created);
            if (definitions.Count > 0)
                _catalog.Replace(definitions[0].Group, definitions[0].Plural, definitions);
        }
    }

    /// <summary>What the service account and root-CA publisher controllers put in every new namespace.</summary>
    private void NamespaceDefaults(string ns)
    {
        var sa = _catalog.FindAnyVersion("", "serviceaccounts");
        var cm = _catalog.FindAnyVersion("", "configmaps");
        if (sa is not null && _store.Get(sa.StorageKey, ns, "default") is null)
            Create(sa, ns, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } }, WriteOptions.Default);
        if (cm is not null && _store.Get(cm.StorageKey, ns, "kube-root-ca.crt") is null)
            Create(cm, ns, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = "kube-root-ca.crt",
                    ["annotations"] = new JsonObject { ["kubernetes.io/description"] = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters." },
                },
                ["data"] = new JsonObject { ["ca.crt"] = RootCa.Pem },
            }, WriteOptions.Default);
    }

    private void AfterDelete(ResourceDefinition def, StoredObject deleted)
    {
        if (def is not { Group: "apiextensions.k8s.io", Plural: "customresourcedefinitions" })
            return;
        var node = deleted.ToNode();
        var group = node.Text("spec.group") ?? "";
        var plural = node.Text("spec.names.plural") ?? "";
        _catalog.Remove(group, plural);
        var key = group + "/" + plural;
        foreach (var instance in _store.Snapshot(key).Set)
        {
            try
            {
                _store.Delete(key, instance.Namespace, instance.Name);
            }
            catch (StoreException)
            {
            }
        }
    }
}
