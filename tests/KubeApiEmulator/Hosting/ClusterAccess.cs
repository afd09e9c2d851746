using System.Text.Json.Nodes;
using KubeApiEmulator.Api;
using KubeApiEmulator.Manifests;
using KubeApiEmulator.Resources;

namespace KubeApiEmulator;

/// <summary>
/// Direct access to the emulated cluster's objects for tests and loaders, without HTTP but with the same
/// rules (defaults, validation, allocation) as API requests. Objects are addressed by apiVersion and kind.
/// </summary>
public sealed class ClusterAccess(ObjectService service)
{
    public ObjectService Service => service;

    public ResourceDefinition Resolve(string apiVersion, string kind) =>
        service.Catalog.FindKind(apiVersion, kind)
        ?? throw new ArgumentException($"no resource serves {kind} in {apiVersion}");

    /// <summary>Creates an object as POST would.</summary>
    public JsonObject Create(JsonObject obj)
    {
        var def = Resolve(obj.Text("apiVersion") ?? "", obj.Text("kind") ?? "");
        return service.Create(def, obj.Text("metadata.namespace") ?? "default", (JsonObject)obj.DeepClone(), WriteOptions.Default).Object;
    }

    /// <summary>
    /// Creates the object, or replaces the stored one (ignoring resourceVersion) when it exists. A given
    /// metadata.uid is kept on create, so that loaded objects keep their ownerReferences valid.
    /// </summary>
    public JsonObject Put(JsonObject obj)
    {
        var def = Resolve(obj.Text("apiVersion") ?? "", obj.Text("kind") ?? "");
        var ns = def.Namespaced ? obj.Text("metadata.namespace") ?? "default" : "";
        var name = obj.Text("metadata.name") ?? "";
        var copy = (JsonObject)obj.DeepClone();
        copy.Metadata().Remove("resourceVersion");
        JsonObject result;
        if (name.Length == 0 || service.Store.Get(def.StorageKey, ns, name) is null)
        {
            result = service.Create(def, ns, copy, new WriteOptions { PreserveUid = true }).Object;
            name = result.Text("metadata.name") ?? name;
        }
        else
        {
            result = service.Update(def, ns, name, copy, null, WriteOptions.Default).Object;
        }
        if (def.HasStatus && obj["status"] is not null)
        {
            var status = (JsonObject)obj.DeepClone();
            status.Metadata().Remove("resourceVersion");
            result = service.Update(def, ns, name, status, "status", WriteOptions.Default).Object;
        }
        return result;
    }

    public JsonObject? Get(string apiVersion, string kind, string? ns, string name)
    {
        var def = Resolve(apiVersion, kind);
        var stored = service.Store.Get(def.StorageKey, def.Namespaced ? ns ?? "default" : "", name);
        return stored is null ? null : Presenter.Node(def, stored);
    }

    public IReadOnlyList<JsonObject> List(string apiVersion, string kind, string? ns = null, string? labelSelector = null)
    {
        var def = Resolve(apiVersion, kind);
        return service.List(def, ns, new ListQuery { LabelSelector = labelSelector }).Items.Select(i => Presenter.Node(def, i)).ToList();
    }

    /// <summary>Deletes as DELETE would; false when the object does not exist.</summary>
    public bool Delete(string apiVersion, string kind, string? ns, string name)
    {
        var def = Resolve(apiVersion, kind);
        try
        {
            service.Delete(def, ns ?? "default", name, DeleteRequest.Default);
            return true;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
    }

    /// <summary>Loads YAML or JSON manifests (several documents, List kinds); returns how many objects were stored.</summary>
    public int LoadYaml(string text) => ManifestLoader.Load(this, YamlJson.ParseAll(text));
}
