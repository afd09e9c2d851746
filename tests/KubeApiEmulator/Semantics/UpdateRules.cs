using System.Text.Json.Nodes;
using KubeApiEmulator.Api;
using KubeApiEmulator.Resources;

namespace KubeApiEmulator.Semantics;

/// <summary>Fields the real server refuses to change after creation (422 Invalid).</summary>
public static class UpdateRules
{
    private static readonly string[] StatefulSetMutable =
        ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];

    public static void Check(ResourceDefinition def, JsonObject old, JsonObject updated)
    {
        var errors = new List<FieldError>();
        var name = updated.Text("metadata.name") ?? "";
        switch (def.Group, def.Kind)
        {
            case ("", "PersistentVolumeClaim"):
                if (!SamePvcSpec(old, updated))
                    errors.Add(new FieldError("spec", "FieldValueForbidden",
                        "Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"));
                break;
            case ("batch", "Job"):
                Immutable(errors, old, updated, "spec.selector");
                Immutable(errors, old, updated, "spec.template");
                Immutable(errors, old, updated, "spec.completionMode");
                break;
            case ("apps", "Deployment" or "ReplicaSet" or "DaemonSet"):
                Immutable(errors, old, updated, "spec.selector");
                break;
            case ("apps", "StatefulSet"):
                Immutable(errors, old, updated, "spec.selector");
                var oldSpec = Without(old["spec"], StatefulSetMutable);
                var newSpec = Without(updated["spec"], StatefulSetMutable);
                if (!oldSpec.SameAs(newSpec))
                    errors.Add(new FieldError("spec", "FieldValueForbidden",
                        "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
                break;
            case ("", "ConfigMap" or "Secret"):
                if (old.Flag("immutable"))
                {
                    if (!old["data"].SameAs(updated["data"]) || !old["binaryData"].SameAs(updated["binaryData"]) || !old["stringData"].SameAs(updated["stringData"]))
                        errors.Add(new FieldError("data", "FieldValueForbidden", "Forbidden: field is immutable when `immutable` is set"));
                    if (!updated.Flag("immutable"))
                        errors.Add(new FieldError("immutable", "FieldValueForbidden", "Forbidden: field is immutable when `immutable` is set"));
                }
                if (def.Kind == "Secret")
                    Immutable(errors, old, updated, "type");
                break;
            case ("storage.k8s.io", "StorageClass"):
                Immutable(errors, old, updated, "provisioner");
                Immutable(errors, old, updated, "parameters");
                Immutable(errors, old, updated, "reclaimPolicy");
                Immutable(errors, old, updated, "volumeBindingMode");
                break;
        }
        if (errors.Count > 0)
            throw ApiException.Invalid(def, name, errors);
    }

    private static void Immutable(List<FieldError> errors, JsonObject old, JsonObject updated, string path)
    {
        var before = old.At(path);
        var after = updated.At(path);
        if (!before.SameAs(after))
            errors.Add(FieldError.Immutable(path, after?.ToJsonString() ?? "null"));
    }

    private static bool SamePvcSpec(JsonObject old, JsonObject updated)
    {
        var before = Without(old["spec"], ["resources", "volumeAttributesClassName"]);
        var after = Without(updated["spec"], ["resources", "volumeAttributesClassName"]);
        if (string.IsNullOrEmpty(old.Text("spec.volumeName")) && before is JsonObject b && after is JsonObject a)
        {
            b.Remove("volumeName");
            a.Remove("volumeName");
        }
        return before.SameAs(after) && old.At("spec.resources.limits").SameAs(updated.At("spec.resources.limits"));
    }

    private static JsonNode? Without(JsonNode? spec, IEnumerable<string> fields)
    {
        if (spec is not JsonObject o)
            return spec?.DeepClone();
        var copy = (JsonObject)o.DeepClone();
        foreach (var f in fields)
            copy.Remove(f);
        return copy;
    }
}
