using System.Text.Json.Nodes;
using KubeApiEmulator.Api;
using KubeApiEmulator.Resources;
using KubeApiEmulator.Tables;

namespace KubeApiEmulator.Semantics;

/// <summary>Turns CustomResourceDefinitions into served resources and sets the status a real apiserver reports.</summary>
public static class CustomResources
{
    public static void Validate(ResourceDefinition crdDef, JsonObject crd)
    {
        var name = crd.Text("metadata.name") ?? "";
        var errors = new List<FieldError>();
        var group = crd.Text("spec.group") ?? "";
        var plural = crd.Text("spec.names.plural") ?? "";
        if (group.Length == 0)
            errors.Add(FieldError.Required("spec.group", ""));
        if (plural.Length == 0)
            errors.Add(FieldError.Required("spec.names.plural", ""));
        if ((crd.Text("spec.names.kind") ?? "").Length == 0)
            errors.Add(FieldError.Required("spec.names.kind", ""));
        if (name != plural + "." + group)
            errors.Add(FieldError.Invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        var scope = crd.Text("spec.scope");
        if (scope is not ("Namespaced" or "Cluster"))
            errors.Add(new FieldError("spec.scope", "FieldValueNotSupported", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\""));
        var versions = (crd.At("spec.versions") as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (versions.Count == 0)
            errors.Add(FieldError.Required("spec.versions", "must have exactly one version marked as storage version"));
        else if (versions.Count(v => v.Flag("storage")) != 1)
            errors.Add(FieldError.Invalid("spec.versions", "", "must have exactly one version marked as storage version"));
        if (errors.Count > 0)
            throw ApiException.Invalid(crdDef, name, errors);
    }

    public static IReadOnlyList<ResourceDefinition> DefinitionsFrom(JsonObject crd)
    {
        var group = crd.Text("spec.group") ?? "";
        var names = crd.At("spec.names") as JsonObject ?? new JsonObject();
        var namespaced = crd.Text("spec.scope") == "Namespaced";
        var result = new List<ResourceDefinition>();
        foreach (var v in (crd.At("spec.versions") as JsonArray ?? []).OfType<JsonObject>())
        {
            if (v["served"] is JsonValue served && served.TryGetValue<bool>(out var s) && !s)
                continue;
            result.Add(new ResourceDefinition
            {
                Group = group,
                Version = v.Text("name") ?? "v1",
                Plural = names.Text("plural") ?? "",
                Singular = names.Text("singular") ?? "",
                Kind = names.Text("kind") ?? "",
                Namespaced = namespaced,
                ShortNames = Strings(names["shortNames"]),
                Categories = Strings(names["categories"]),
                HasStatus = v.At("subresources.status") is not null,
                HasScale = v.At("subresources.scale") is not null,
                Scale = v.At("subresources.scale") is JsonObject scale
                    ? new ScalePaths(Path(scale.Text("specReplicasPath"), "spec.replicas"), Path(scale.Text("statusReplicasPath"), "status.replicas"),
                        scale.Text("labelSelectorPath") is { Length: > 0 } selector ? Path(selector, "") : null)
                    : ScalePaths.Default,
                IsCustom = true,
                ReturnsDeletedObject = true,
                Columns = Columns(v["additionalPrinterColumns"] as JsonArray),
            });
        }
        return result;
    }

    private static string Path(string? jsonPath, string fallback) =>
        string.IsNullOrEmpty(jsonPath) ? fallback : jsonPath.TrimStart('.');

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => (string?)x ?? "").Where(x => x.Length > 0).ToArray() : [];

    private static IReadOnlyList<TableColumn> Columns(JsonArray? printerColumns)
    {
        if (printerColumns is null)
            return [];
        var columns = new List<TableColumn>();
        foreach (var c in printerColumns.OfType<JsonObject>())
        {
            var path = (c.Text("jsonPath") ?? "").TrimStart('.');
            if (path.Length == 0 || path.Contains('[') || (c.Text("name") ?? "").Equals("age", StringComparison.OrdinalIgnoreCase))
                continue;
            columns.Add(new TableColumn(c.Text("name") ?? path, c.Text("type") ?? "string", c.Text("description") ?? "",
                o => JsonPaths.Text(o, path))
            {
                Priority = (int)(c.Long("priority") ?? 0),
            });
        }
        return columns;
    }
}
