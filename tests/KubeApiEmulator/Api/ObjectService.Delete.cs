using System.Text.Json.Nodes;
using KubeApiEmulator.Resources;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Api;

public sealed partial class ObjectService
{
    /// <summary>Holds an owner until the garbage collector has deleted its dependents (propagationPolicy=Foreground).</summary>
    public const string ForegroundFinalizer = "foregroundDeletion";

    /// <summary>Holds an owner until the garbage collector has removed it from its dependents (propagationPolicy=Orphan).</summary>
    public const string OrphanFinalizer = "orphan";

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
        var propagationFinalizer = request.PropagationPolicy switch
        {
            "Foreground" => ForegroundFinalizer,
            "Orphan" => OrphanFinalizer,
            _ => null,
        };
        if (propagationFinalizer is not null && node.At("metadata.deletionTimestamp") is null)
        {
            finalizers ??= [];
            if (!finalizers.Any(f => (string?)f == propagationFinalizer))
                finalizers.Add(propagationFinalizer);
            node.Metadata()["finalizers"] = finalizers.DeepClone();
        }
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
}
