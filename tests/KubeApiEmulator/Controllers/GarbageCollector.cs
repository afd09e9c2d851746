using System.Text.Json.Nodes;
using KubeApiEmulator.Api;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Controllers;

/// <summary>
/// Background cascading deletion: when an owner goes, objects whose ownerReferences name its uid are deleted,
/// unless the owner was deleted with propagationPolicy=Orphan.
/// </summary>
public sealed class GarbageCollector : IController
{
    private static readonly byte[] Marker = "\"ownerReferences\""u8.ToArray();
    private readonly Dictionary<string, HashSet<(string Key, string Ns, string Name)>> _dependents = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Key, string Ns, string Name), string[]> _owners = new();

    public void OnEvent(WatchEvent e, ControllerContext context)
    {
        Index(e);
        if (e.Type != WatchEventType.Deleted || !_dependents.TryGetValue(e.Object.Uid, out var dependents))
            return;
        _dependents.Remove(e.Object.Uid);
        if (context.Service.OrphanedOwners.TryRemove(e.Object.Uid, out _) || !context.Settings.GarbageCollection)
            return;
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
