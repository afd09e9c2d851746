using System.Text.Json.Nodes;
using KubeApiEmulator.Api;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Controllers;

/// <summary>
/// Cascading deletion: when an owner goes, objects whose ownerReferences name its uid are deleted. With
/// propagationPolicy=Orphan the owner waits (orphan finalizer) until its dependents no longer reference it;
/// with Foreground it waits (foregroundDeletion finalizer) until they are gone.
/// </summary>
public sealed class GarbageCollector : IController
{
    private static readonly byte[] Marker = "\"ownerReferences\""u8.ToArray();

    /// <summary>Like the real collector's informer lag: an owner created right after its dependent still counts.</summary>
    private static readonly TimeSpan AbsentOwnerGrace = TimeSpan.FromMilliseconds(200);
    private readonly Dictionary<string, HashSet<(string Key, string Ns, string Name)>> _dependents = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Key, string Ns, string Name), string[]> _owners = new();
    private readonly Dictionary<string, (string Key, string Ns, string Name)> _foreground = new(StringComparer.Ordinal);
    private static readonly byte[] ForegroundMarker = "\"foregroundDeletion\""u8.ToArray();
    private static readonly byte[] OrphanMarker = "\"orphan\""u8.ToArray();

    public void OnEvent(WatchEvent e, ControllerContext context)
    {
        var formerOwners = _owners.GetValueOrDefault((e.StorageKey, e.Object.Namespace, e.Object.Name)) ?? [];
        Index(e);
        if (e.Type != WatchEventType.Deleted && context.Settings.GarbageCollection && _owners.ContainsKey((e.StorageKey, e.Object.Namespace, e.Object.Name)))
        {
            var (key, ns, name) = (e.StorageKey, e.Object.Namespace, e.Object.Name);
            context.Schedule(AbsentOwnerGrace, () =>
            {
                if (context.Settings.GarbageCollection && context.Service.Store.Get(key, ns, name) is { } current)
                    CollectIfOwnersAbsent(key, current, context);
            });
        }
        if (e.Type == WatchEventType.Deleted)
        {
            foreach (var uid in formerOwners)
                if (_foreground.TryGetValue(uid, out var owner))
                    FinishForeground(uid, owner, context);
        }
        else if (context.Settings.GarbageCollection && e.Object.Json.AsSpan().IndexOf(OrphanMarker) >= 0
            && e.Object.ToNode() is var orphaning && orphaning.At("metadata.deletionTimestamp") is not null
            && (orphaning.At("metadata.finalizers") as JsonArray ?? []).Any(f => (string?)f == ObjectService.OrphanFinalizer))
        {
            if (_dependents.Remove(e.Object.Uid, out var orphans))
                Orphan(e.Object.Uid, orphans, context);
            RemoveFinalizer((e.StorageKey, e.Object.Namespace, e.Object.Name), ObjectService.OrphanFinalizer, context);
            return;
        }
        else if (context.Settings.GarbageCollection && e.Object.Json.AsSpan().IndexOf(ForegroundMarker) >= 0
            && e.Object.ToNode().At("metadata.deletionTimestamp") is not null)
        {
            var owner = (e.StorageKey, e.Object.Namespace, e.Object.Name);
            _foreground[e.Object.Uid] = owner;
            if (_dependents.TryGetValue(e.Object.Uid, out var waiting))
                DeleteAll(waiting, context);
            FinishForeground(e.Object.Uid, owner, context);
            return;
        }
        if (e.Type != WatchEventType.Deleted || !_dependents.TryGetValue(e.Object.Uid, out var dependents))
            return;
        _dependents.Remove(e.Object.Uid);
        _foreground.Remove(e.Object.Uid);
        if (context.Settings.GarbageCollection)
            DeleteAll(dependents, context);
    }

    /// <summary>Orphaned dependents stay but lose their reference to the deleted owner.</summary>
    private static void Orphan(string uid, IEnumerable<(string Key, string Ns, string Name)> dependents, ControllerContext context)
    {
        foreach (var (key, ns, name) in dependents.ToList())
        {
            var slash = key.IndexOf('/');
            var def = context.Def(key[..slash], key[(slash + 1)..]);
            if (def is null)
                continue;
            context.Mutate(def, ns, name, o =>
            {
                if (o.At("metadata.ownerReferences") is not JsonArray refs)
                    return false;
                foreach (var r in refs.Where(r => r.Text("uid") == uid).ToList())
                    refs.Remove(r);
                if (refs.Count == 0)
                    o.Metadata().Remove("ownerReferences");
                return true;
            }, status: false);
        }
    }

    /// <summary>
    /// A dependent none of whose owners exist (by name with the referenced uid) is garbage, as the real
    /// collector decides: restoring objects with stale ownerReferences loses them.
    /// </summary>
    private static void CollectIfOwnersAbsent(string key, StoredObject dependent, ControllerContext context)
    {
        var node = dependent.ToNode();
        if (node.At("metadata.deletionTimestamp") is not null || node.At("metadata.ownerReferences") is not JsonArray refs)
            return;
        foreach (var r in refs)
        {
            var ownerDef = context.Service.Catalog.FindKind(r.Text("apiVersion") ?? "", r.Text("kind") ?? "");
            if (ownerDef is null)
                return;
            var owner = context.Service.Store.Get(ownerDef.StorageKey, ownerDef.Namespaced ? dependent.Namespace : "", r.Text("name") ?? "");
            if (owner is not null && owner.Uid == r.Text("uid"))
                return;
        }
        var slash = key.IndexOf('/');
        var def = context.Def(key[..slash], key[(slash + 1)..]);
        if (def is null)
            return;
        try
        {
            context.Service.Delete(def, dependent.Namespace, dependent.Name, DeleteRequest.Default with { PropagationPolicy = "Background" });
        }
        catch (ApiException)
        {
        }
    }

    /// <summary>Once no dependents are left, the owner loses its foregroundDeletion finalizer and goes.</summary>
    private void FinishForeground(string uid, (string Key, string Ns, string Name) owner, ControllerContext context)
    {
        if (_dependents.TryGetValue(uid, out var left) && left.Count > 0)
            return;
        _foreground.Remove(uid);
        RemoveFinalizer(owner, ObjectService.ForegroundFinalizer, context);
    }

    private static void RemoveFinalizer((string Key, string Ns, string Name) owner, string finalizer, ControllerContext context)
    {
        var slash = owner.Key.IndexOf('/');
        var def = context.Def(owner.Key[..slash], owner.Key[(slash + 1)..]);
        if (def is null)
            return;
        context.Mutate(def, owner.Ns, owner.Name, o =>
        {
            if (o.At("metadata.finalizers") is not JsonArray list)
                return false;
            var removed = list.Where(f => (string?)f == finalizer).ToList();
            foreach (var f in removed)
                list.Remove(f);
            return removed.Count > 0;
        }, status: false);
    }

    private static void DeleteAll(IEnumerable<(string Key, string Ns, string Name)> dependents, ControllerContext context)
    {
        foreach (var (key, ns, name) in dependents.ToList())
        {
            var slash = key.IndexOf('/');
            var def = context.Def(key[..slash], key[(slash + 1)..]);
            if (def is null)
                continue;
            try
            {
                context.Service.Delete(def, ns, name, DeleteRequest.Default with { PropagationPolicy = "Background" });
            }
            catch (ApiException)
            {
            }
        }
    }

    public void Resync(ControllerContext context)
    {
    }

    private void Index(WatchEvent e)
    {
        var id = (e.StorageKey, e.Object.Namespace, e.Object.Name);
        if (_owners.Remove(id, out var previous))
            foreach (var uid in previous)
                if (_dependents.TryGetValue(uid, out var set))
                    set.Remove(id);
        if (e.Type == WatchEventType.Deleted || e.Object.Json.AsSpan().IndexOf(Marker) < 0)
            return;
        var refs = e.Object.ToNode().At("metadata.ownerReferences") as JsonArray;
        var uids = (refs ?? []).Select(r => r.Text("uid")).OfType<string>().ToArray();
        if (uids.Length == 0)
            return;
        _owners[id] = uids;
        foreach (var uid in uids)
        {
            if (!_dependents.TryGetValue(uid, out var set))
                _dependents[uid] = set = [];
            set.Add(id);
        }
    }
}
