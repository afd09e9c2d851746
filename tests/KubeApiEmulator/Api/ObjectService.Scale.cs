using System.Text.Json.Nodes;
using KubeApiEmulator.Resources;

namespace KubeApiEmulator.Api;

public sealed partial class ObjectService
{
    /// <summary>The autoscaling/v1 Scale of a workload.</summary>
    public JsonObject GetScale(ResourceDefinition def, string ns, string name) => ScaleOf(def, Get(def, ns, name).ToNode());

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
        SetPath(updated, def.Scale.SpecReplicas, replicas);
        var result = Commit(def, existing, Prepare(def, existing, updated, null), options);
        return ScaleOf(def, result.Object);
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

    private static JsonObject ScaleOf(ResourceDefinition def, JsonObject obj)
    {
        var meta = new JsonObject { ["name"] = obj.Text("metadata.name") };
        if (obj.Text("metadata.namespace") is { } ns)
            meta["namespace"] = ns;
        meta["uid"] = obj.Text("metadata.uid");
        meta["resourceVersion"] = obj.Text("metadata.resourceVersion");
        meta["creationTimestamp"] = obj.Text("metadata.creationTimestamp");
        var selector = def.Scale.LabelSelector is { } selectorPath
            ? obj.Text(selectorPath) ?? ""
            : obj.At("spec.selector.matchLabels") is JsonObject labels
                ? string.Join(",", labels.Select(l => $"{l.Key}={(string?)l.Value}"))
                : "";
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = meta,
            ["spec"] = new JsonObject { ["replicas"] = obj.Long(def.Scale.SpecReplicas) ?? 0 },
            ["status"] = new JsonObject { ["replicas"] = obj.Long(def.Scale.StatusReplicas) ?? 0, ["selector"] = selector },
        };
    }

    private static void SetPath(JsonObject obj, string dottedPath, long value)
    {
        var parts = dottedPath.Split('.');
        var target = obj;
        foreach (var part in parts[..^1])
            target = target.Child(part);
        target[parts[^1]] = value;
    }
}
