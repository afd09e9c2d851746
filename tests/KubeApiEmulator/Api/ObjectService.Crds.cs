using System.Text.Json.Nodes;
using KubeApiEmulator.Resources;
using KubeApiEmulator.Semantics;

namespace KubeApiEmulator.Api;

/// <summary>Serving CRDs: only Established ones are served, and a deleted CRD frees its names for the rest of its group.</summary>
public sealed partial class ObjectService
{
    private static bool IsCrd(ResourceDefinition def) => def is { Group: "apiextensions.k8s.io", Plural: "customresourcedefinitions" };

    /// <summary>The stored CRDs of a group other than the one named, for name conflict checks.</summary>
    private IEnumerable<JsonObject> GroupCrds(ResourceDefinition crdDef, string group, string except) =>
        _store.Snapshot(crdDef.StorageKey).Set
            .Where(o => o.Name != except)
            .Select(o => o.ToNode())
            .Where(o => o.Text("spec.group") == group);

    private void Serve(JsonObject crd)
    {
        var definitions = CustomResources.DefinitionsFrom(crd);
        if (definitions.Count > 0)
            _catalog.Replace(definitions[0].Group, definitions[0].Plural, definitions);
    }

    /// <summary>
    /// The real naming controller requeues the group's CRDs when one goes away; a CRD that was waiting for a name
    /// the deleted one held gets it now, and is established and served.
    /// </summary>
    private void ReleaseNames(ResourceDefinition crdDef, string group, string deletedName)
    {
        foreach (var waiting in GroupCrds(crdDef, group, deletedName).Where(c => !CrdNaming.IsEstablished(c)).ToList())
        {
            var name = waiting.Text("metadata.name") ?? "";
            var established = CrdNaming.Evaluate(waiting, GroupCrds(crdDef, group, name), _time.GetUtcNow());
            try
            {
                var written = Update(crdDef, "", name, waiting, "status", WriteOptions.Default).Object;
                if (established)
                    Serve(written);
            }
            catch (ApiException e) when (e.Code is 404 or 409)
            {
                // Deleted or changed meanwhile: a later create or delete in the group evaluates it again.
            }
        }
    }
}
