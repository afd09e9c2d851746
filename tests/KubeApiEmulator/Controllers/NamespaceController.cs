using System.Text.Json.Nodes;
using KubeApiEmulator.Api;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Controllers;

/// <summary>
/// Finalizes terminating namespaces: deletes everything in them, waits for objects held by finalizers,
/// then drops the "kubernetes" finalizer and removes the namespace.
/// </summary>
public sealed class NamespaceController : IController
{
    private static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(50);
    private readonly HashSet<string> _pending = [];

    public void OnEvent(WatchEvent e, ControllerContext context)
    {
        if (e.StorageKey == ObjectService.NamespaceKey && e.Type != WatchEventType.Deleted && context.Settings.Namespaces
            && e.Object.ToNode().At("metadata.deletionTimestamp") is not null)
            Later(e.Object.Name, context.Settings.NamespaceDeletionDelay, context);
    }

    public void Resync(ControllerContext context)
    {
        if (!context.Settings.Namespaces)
            return;
        foreach (var ns in context.Service.Store.Snapshot(ObjectService.NamespaceKey).Set)
            if (ns.ToNode().At("metadata.deletionTimestamp") is not null)
                Later(ns.Name, context.Settings.NamespaceDeletionDelay, context);
    }

    private void Later(string ns, TimeSpan delay, ControllerContext context)
    {
        if (_pending.Add(ns))
            context.Schedule(delay, () =>
            {
                _pending.Remove(ns);
                Finalize(ns, context);
            });
    }

    private void Finalize(string ns, ControllerContext context)
    {
        if (!context.Settings.Namespaces)
        {
            _pending.Remove(ns);
            return;
        }
        var defs = context.Service.Catalog.All.Where(d => d.Namespaced).DistinctBy(d => d.StorageKey).ToList();
        foreach (var def in defs)
        {
            var items = context.Service.List(def, ns, new ListQuery()).Items;
            foreach (var item in items)
            {
                try
                {
                    context.Service.Delete(def, ns, item.Name, DeleteRequest.Default with { PropagationPolicy = "Background" });
                }
                catch (ApiException)
                {
                }
            }
        }
        var remaining = defs.Sum(def => context.Service.List(def, ns, new ListQuery { Limit = 1 }).Items.Count);
        if (remaining > 0)
        {
            Later(ns, Recheck, context);
            return;
        }
        var nsDef = context.Def("", "namespaces")!;
        var stored = context.Service.Store.Get(ObjectService.NamespaceKey, "", ns);
        if (stored is null)
            return;
        var node = stored.ToNode();
        if (node.At("metadata.finalizers") is JsonArray { Count: > 0 })
        {
            if (node.At("spec.finalizers") is JsonArray { Count: > 0 })
                context.Mutate(nsDef, "", ns, n =>
                {
                    ((JsonObject)n["spec"]!).Remove("finalizers");
                    return true;
                }, status: false);
            return;
        }
        try
        {
            context.Service.Store.Delete(ObjectService.NamespaceKey, "", ns);
        }
        catch (StoreException)
        {
        }
    }
}
