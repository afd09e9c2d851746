using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using KubeApiEmulator.Patching;
using KubeApiEmulator.Resources;
using KubeApiEmulator.Selectors;
using KubeApiEmulator.Semantics;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Api;

/// <summary>
/// The verbs of the Kubernetes API with the real server's semantics, free of HTTP so that tests,
/// manifest loading and controllers use exactly the same rules as requests.
/// </summary>
public sealed partial class ObjectService
{
    public const string NamespaceKey = "/namespaces";
    private const int PatchRetries = 100;

    private readonly ClusterStore _store;
    private readonly ResourceCatalog _catalog;
    private readonly Admission _admission;
    private readonly TimeProvider _time;
    private readonly object _crdNaming = new();

    /// <summary>Server-side apply: what each field manager applied last, by object uid.</summary>
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, JsonObject>> _applied = new(StringComparer.Ordinal);

    public ObjectService(ClusterStore store, ResourceCatalog catalog, Admission admission, TimeProvider time)
    {
        _store = store;
        _catalog = catalog;
        _admission = admission;
        _time = time;
    }

    public ClusterStore Store => _store;
    public ResourceCatalog Catalog => _catalog;

    public StoredObject Get(ResourceDefinition def, string ns, string name) =>
        _store.Get(def.StorageKey, def.Namespaced ? ns : "", name) ?? throw ApiException.NotFound(def, name);

    public ListResult List(ResourceDefinition def, string? ns, ListQuery query)
    {
        var labels = LabelSelector.Parse(query.LabelSelector);
        var fields = FieldSelector.Parse(query.FieldSelector, def);
        if (!def.Namespaced)
            ns = null;
        System.Collections.Immutable.ImmutableSortedSet<StoredObject> set;
        long revision;
        int start;
        if (!string.IsNullOrEmpty(query.Continue))
        {
            var token = ContinueToken.Decode(query.Continue, def.Namespaced);
            set = _store.RecallSnapshot(def.StorageKey, token.Revision) ?? throw ApiException.Expired(
                "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
            revision = token.Revision;
            var at = set.IndexOf(StoredObject.Probe(token.Namespace, token.Name));
            start = at >= 0 ? at + 1 : ~at;
        }
        else
        {
            (set, revision) = _store.Snapshot(def.StorageKey);
            start = ns is null ? 0 : ~set.IndexOf(StoredObject.Probe(ns, ""));
            if (start < 0)
                start = ~start;
        }
        var end = ns is null ? set.Count : SeekEnd(set, ns);
        var items = new List<StoredObject>(query.Limit > 0 ? Math.Min(query.Limit, end - start) : Math.Max(0, end - start));
        string? next = null;
        long? remaining = null;
        for (var i = start; i < end; i++)
        {
            var o = set[i];
            if (!labels.Matches(o.Labels) || !fields.Matches(o))
                continue;
            if (query.Limit > 0 && items.Count == query.Limit)
            {
                var last = items[^1];
                next = new ContinueToken(revision, last.Namespace, last.Name).Encode();
                if (labels.IsEmpty && fields.IsEmpty)
                    remaining = end - i;
                break;
            }
            items.Add(o);
        }
        if (next is not null)
            _store.RememberSnapshot(def.StorageKey, revision, set);
        return new ListResult(items, revision, next, remaining);
    }

    private static int SeekEnd(System.Collections.Immutable.ImmutableSortedSet<StoredObject> set, string ns)
    {
        var at = set.IndexOf(StoredObject.Probe(ns + "\u0000", ""));
        return at >= 0 ? at : ~at;
    }

    public WriteResult Create(ResourceDefinition def, string ns, JsonObject body, WriteOptions options)
    {
        body = NormalizeTypeMeta(def, body);
        var meta = body.Metadata();
        SetNamespace(def, ns, meta);
        if (!string.IsNullOrEmpty(meta.Text("resourceVersion")))
            throw ApiException.Internal("resourceVersion should not be set on objects to be created");
        var name = meta.Text("name") ?? "";
        var generateName = meta.Text("generateName") ?? "";
        if (name.Length == 0 && generateName.Length == 0)
            throw ApiException.Invalid(def, "", [FieldError.Required("metadata.name", "name or generateName is required")]);
        var generated = name.Length == 0;
        if (generated)
        {
            name = NameGenerator.Generate(generateName);
            meta["name"] = name;
        }
        var nameErrors = NameValidation.Validate(def, name).Concat(MetadataValidation.Validate(body)).ToList();
        if (nameErrors.Count > 0)
            throw ApiException.Invalid(def, name, nameErrors);
        if (def.Namespaced)
            CheckNamespaceAccepts(def, name, ns);

        if (!options.PreserveUid || string.IsNullOrEmpty(meta.Text("uid")))
            meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Timestamps.Format(_time.GetUtcNow());
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        meta.Remove("selfLink");
        if (body.ContainsKey("spec") || def.IsCustom)
            meta["generation"] = 1;
        else
            meta.Remove("generation");
        if (def.HasStatus && def.Kind != "Node")
            body.Remove("status");
        using var reservation = _admission.OnCreate(def, body);
        if (IsCrd(def))
        {
            // Naming is decided against the group's stored CRDs, so two creates must not decide at once.
            lock (_crdNaming)
                return Insert(def, body, generated, generateName, options);
        }
        return Insert(def, body, generated, generateName, options);
    }

    private WriteResult Insert(ResourceDefinition def, JsonObject body, bool generated, string generateName, WriteOptions options)
    {
        if (IsCrd(def))
            CrdNaming.Evaluate(body, GroupCrds(def, body.Text("spec.group") ?? "", ""), _time.GetUtcNow());
        if (options.DryRun)
            return new WriteResult(body, true);
        var meta = body.Metadata();
        var name = meta.Text("name") ?? "";
        StoredObject stored;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                stored = _store.Write(def.StorageKey, body, WriteMode.Create);
                break;
            }
            catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
            {
                if (!generated || attempt >= 8)
                    throw ApiException.AlreadyExists(def, name);
                name = NameGenerator.Generate(generateName);
                meta["name"] = name;
            }
        }
        AfterCreate(def, body);
        return new WriteResult(body, true, stored);
    }

    public WriteResult Update(ResourceDefinition def, string ns, string name, JsonObject body, string? subresource, WriteOptions options)
    {
        body = NormalizeTypeMeta(def, body);
        var meta = body.Metadata();
        SetNamespace(def, ns, meta);
        var bodyName = meta.Text("name") ?? "";
        if (bodyName.Length == 0)
            meta["name"] = name;
        else if (bodyName != name)
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        var requested = meta.Text("resourceVersion");
        for (var attempt = 0; ; attempt++)
        {
            var existing = Get(def, ns, name);
            if (!string.IsNullOrEmpty(requested) && requested != Rv(existing))
                throw ApiException.StaleUpdate(def, name);
            try
            {
                return Commit(def, existing, Prepare(def, existing, (JsonObject)body.DeepClone(), subresource), options);
            }
            catch (ApiException e) when (e.Reason == "Conflict" && attempt < PatchRetries && string.IsNullOrEmpty(requested))
            {
            }
        }
    }

    public WriteResult Patch(ResourceDefinition def, string ns, string name, string patchType, JsonNode patch, string? subresource, WriteOptions options)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = _store.Get(def.StorageKey, def.Namespaced ? ns : "", name);
            if (existing is null)
            {
                if (patchType == PatchTypes.Apply && subresource is null && patch is JsonObject applied)
                {
                    var created = Create(def, ns, (JsonObject)applied.DeepClone(), options);
                    RememberApplied(created, options, applied);
                    return created;
                }
                throw ApiException.NotFound(def, name);
            }
            var current = Presenter.Node(def, existing);
            if (patchType == PatchTypes.Apply && patch is JsonObject config
                && _applied.TryGetValue(existing.Uid, out var managers) && managers.TryGetValue(options.FieldManager ?? "", out var previous))
                current = PatchTypes.ApplyTo(def, def.IsCustom ? PatchTypes.Merge : PatchTypes.Strategic, current,
                    AppliedFields.RemovalPatch(previous, config), name);
            var patched = PatchTypes.ApplyTo(def, patchType, current, patch, name);
            Presenter.ToStored(def, patched);
            var precondition = PatchTypes.SetsResourceVersion(patchType, patch);
            var requested = patched.Text("metadata.resourceVersion");
            if (precondition && requested != Rv(existing))
                throw ApiException.StaleUpdate(def, name);
            try
            {
                var result = Commit(def, existing, Prepare(def, existing, NormalizeTypeMeta(def, patched), subresource), options);
                if (patchType == PatchTypes.Apply && patch is JsonObject appliedConfig)
                    RememberApplied(result, options, appliedConfig);
                return result;
            }
            catch (ApiException e) when (e.Reason == "Conflict" && attempt < PatchRetries && !precondition)
            {
            }
        }
    }

    private void RememberApplied(WriteResult result, WriteOptions options, JsonObject config)
    {
        if (options.DryRun)
            return;
        var uid = result.Object.Text("metadata.uid");
        if (uid is not null)
            _applied.GetOrAdd(uid, _ => new ConcurrentDictionary<string, JsonObject>(StringComparer.Ordinal))[options.FieldManager ?? ""] =
                (JsonObject)config.DeepClone();
    }

    /// <summary>The object a main-resource or status write would store, before it is committed.</summary>
    private JsonObject Prepare(ResourceDefinition def, StoredObject existing, JsonObject body, string? subresource)
    {
        var old = existing.ToNode();
        if (subresource == "status")
        {
            var result = existing.ToNode();
            result.Remove("status");
            if (body["status"] is { } status)
                result["status"] = status.DeepClone();
            return result;
        }
        var meta = body.Metadata();
        foreach (var field in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            meta.Remove(field);
            if (old.At("metadata." + field) is { } value)
                meta[field] = value.DeepClone();
        }
        meta.Remove("selfLink");
        if (def.HasStatus)
        {
            body.Remove("status");
            if (old["status"] is { } status)
                body["status"] = status.DeepClone();
        }
        if (meta["generation"] is not null && !SpecEquals(old, body))
            meta["generation"] = (old.Long("metadata.generation") ?? 0) + 1;
        return body;
    }

    private WriteResult Commit(ResourceDefinition def, StoredObject existing, JsonObject updated, WriteOptions options)
    {
        var old = existing.ToNode();
        var metadataErrors = MetadataValidation.Validate(updated);
        if (metadataErrors.Count > 0)
            throw ApiException.Invalid(def, existing.Name, metadataErrors);
        using var reservation = _admission.OnUpdate(def, old, updated);
        updated.Metadata()["resourceVersion"] = Rv(existing);
        if (updated.SameAs(old))
            return new WriteResult(old, false, existing);
        if (options.DryRun)
            return new WriteResult(updated, false);
        var finalizers = updated.At("metadata.finalizers") as JsonArray;
        try
        {
            if (updated.At("metadata.deletionTimestamp") is not null && (finalizers is null || finalizers.Count == 0)
                && def.Plural != "namespaces")
            {
                _store.Delete(def.StorageKey, existing.Namespace, existing.Name, existing.ResourceVersion);
                AfterDelete(def, existing);
                return new WriteResult(updated, false);
            }
            var stored = _store.Write(def.StorageKey, updated, WriteMode.Update, existing.ResourceVersion);
            return new WriteResult(updated, false, stored);
        }
        catch (StoreException e)
        {
            throw e.Error == StoreError.NotFound ? ApiException.NotFound(def, existing.Name) : ApiException.StaleUpdate(def, existing.Name);
        }
    }

    private static bool SpecEquals(JsonObject a, JsonObject b)
    {
        foreach (var (key, value) in a)
            if (key is not ("metadata" or "status" or "apiVersion" or "kind") && !value.SameAs(b[key]))
                return false;
        foreach (var (key, _) in b)
            if (key is not ("metadata" or "status" or "apiVersion" or "kind") && !a.ContainsKey(key))
                return false;
        return true;
    }

    private static string Rv(StoredObject o) => o.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void CheckNamespaceAccepts(ResourceDefinition def, string name, string ns)
    {
        var nsObject = _store.Get(NamespaceKey, "", ns) ?? throw ApiException.NamespaceNotFound(ns);
        if (nsObject.ToNode().At("metadata.deletionTimestamp") is not null)
            throw ApiException.NamespaceTerminating(def, name, ns);
    }

    private static void SetNamespace(ResourceDefinition def, string ns, JsonObject meta)
    {
        if (!def.Namespaced)
        {
            meta.Remove("namespace");
            return;
        }
        var given = meta.Text("namespace");
        if (!string.IsNullOrEmpty(given) && given != ns)
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        meta["namespace"] = ns;
    }

    /// <summary>Puts apiVersion and kind first, as the served form has them, and rejects a body of another kind.</summary>
    private static JsonObject NormalizeTypeMeta(ResourceDefinition def, JsonObject body)
    {
        var kind = body.Text("kind");
        var apiVersion = body.Text("apiVersion");
        var expectedApiVersion = Presenter.IsEventsGroup(def) ? "v1" : def.GroupVersion;
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != def.GroupVersion && apiVersion != expectedApiVersion)
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({def.GroupVersion})");
        if (!string.IsNullOrEmpty(kind) && kind != def.Kind)
            throw ApiException.BadRequest($"{kind} in version \"{def.Version}\" cannot be handled as a {def.Kind}: the kind in the data ({kind}) does not match the expected kind ({def.Kind})");
        if (Presenter.IsEventsGroup(def))
            Presenter.ToStored(def, body);
        var result = new JsonObject { ["apiVersion"] = expectedApiVersion, ["kind"] = def.Kind };
        foreach (var (key, value) in body.ToList())
        {
            if (key is "apiVersion" or "kind")
                continue;
            body.Remove(key);
            result[key] = value;
        }
        result.SetDefault("metadata", new JsonObject());
        return result;
    }
}
