using System.Text.Json.Nodes;
using KubeApiEmulator.Api;
using KubeApiEmulator.Resources;

namespace KubeApiEmulator.Controllers;

/// <summary>What controllers act through: the object service, the settings and a delayed work queue.</summary>
public sealed class ControllerContext(ObjectService service, ControllerSettings settings, TimeProvider time, Action<TimeSpan, Action> schedule)
{
    public ObjectService Service => service;
    public ControllerSettings Settings => settings;
    public DateTimeOffset Now => time.GetUtcNow();

    public void Schedule(TimeSpan delay, Action work) => schedule(delay, work);

    public ResourceDefinition? Def(string group, string plural) => service.Catalog.FindAnyVersion(group, plural);

    public JsonObject? Get(ResourceDefinition def, string ns, string name) =>
        service.Store.Get(def.StorageKey, def.Namespaced ? ns : "", name)?.ToNode();

    /// <summary>
    /// Reads the object, lets change edit it (returning false when nothing is to be done) and writes it back,
    /// through /status when status is true. Retries on conflicts; a vanished object is ignored.
    /// </summary>
    public JsonObject? Mutate(ResourceDefinition def, string ns, string name, Func<JsonObject, bool> change, bool status)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = service.Store.Get(def.StorageKey, def.Namespaced ? ns : "", name);
            if (current is null)
                return null;
            var node = current.ToNode();
            if (!change(node))
                return null;
            try
            {
                return service.Update(def, ns, name, node, status ? "status" : null, WriteOptions.Default).Object;
            }
            catch (ApiException e) when (e.Code == 409)
            {
            }
            catch (ApiException e) when (e.Code == 404)
            {
                return null;
            }
        }
        return null;
    }
}
