using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KubeApiEmulator.Resources;

namespace KubeApiEmulator.Discovery;

/// <summary>
/// A minimal OpenAPI v3 surface: the index and, per group/version, the PATCH operations with their
/// group-version-kind and the fieldValidation parameter. That is what kubectl checks to hand validation
/// to the server, so create -f and apply -f work without --validate=false. Schemas are not published.
/// </summary>
public static class OpenApiDocuments
{
    public static JsonObject Index(ResourceCatalog catalog)
    {
        var paths = new JsonObject();
        foreach (var (group, versions) in catalog.Groups())
        {
            foreach (var version in versions)
            {
                var path = Path(group, version);
                paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={Hash(catalog, group, version)}" };
            }
        }
        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? GroupVersion(ResourceCatalog catalog, string path)
    {
        var match = catalog.Groups().SelectMany(g => g.Versions.Select(v => (g.Group, Version: v)))
            .FirstOrDefault(gv => Path(gv.Group, gv.Version) == path);
        if (match.Version is null)
            return null;
        var paths = new JsonObject();
        foreach (var def in Defs(catalog, match.Group, match.Version))
        {
            var prefix = "/" + Path(def.Group, def.Version) + (def.Namespaced ? "/namespaces/{namespace}/" : "/") + def.Plural + "/{name}";
            paths[prefix] = new JsonObject { ["patch"] = Operation(def, def.Kind) };
            if (def.HasStatus)
                paths[prefix + "/status"] = new JsonObject { ["patch"] = Operation(def, def.Kind) };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static JsonObject Operation(ResourceDefinition def, string kind) => new()
    {
        ["operationId"] = "patch" + def.Kind,
        ["parameters"] = new JsonArray(
            Query("dryRun"), Query("fieldManager"), Query("fieldValidation"), Query("force")),
        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
        ["x-kubernetes-action"] = "patch",
        ["x-kubernetes-group-version-kind"] = new JsonObject { ["group"] = def.Group, ["kind"] = kind, ["version"] = def.Version },
    };

    private static JsonObject Query(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = name == "force" ? "boolean" : "string", ["uniqueItems"] = true },
    };

    private static IEnumerable<ResourceDefinition> Defs(ResourceCatalog catalog, string group, string version) =>
        catalog.All.Where(d => d.Group == group && d.Version == version);

    private static string Path(string group, string version) => group.Length == 0 ? "api/" + version : $"apis/{group}/{version}";

    private static string Hash(ResourceCatalog catalog, string group, string version)
    {
        var text = string.Join(";", Defs(catalog, group, version).Select(d => $"{d.Plural}:{d.Kind}:{d.Namespaced}:{d.HasStatus}"));
        return Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }
}
