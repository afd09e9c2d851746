using System.Text.Json.Nodes;
using KubeApiEmulator.Resources;

namespace KubeApiEmulator.Discovery;

/// <summary>The legacy (unaggregated) discovery documents: APIVersions, APIGroupList, APIGroup, APIResourceList.</summary>
public static class DiscoveryDocuments
{
    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["emulationMajor"] = "1",
        ["emulationMinor"] = "32",
        ["minCompatibilityMajor"] = "1",
        ["minCompatibilityMinor"] = "31",
        ["gitVersion"] = "v1.32.0",
        ["gitCommit"] = "70d3cc986aa8221cd1dfb1121852688902d3bf53",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2024-12-11T17:59:15Z",
        ["goVersion"] = "go1.23.3",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = "0.0.0.0/0",
            ["serverAddress"] = serverAddress,
        }),
    };

    public static JsonObject GroupList(ResourceCatalog catalog) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(catalog.Groups().Where(g => g.Group.Length > 0).Select(g => (JsonNode)GroupBody(g.Group, g.Versions)).ToArray()),
    };

    public static JsonObject? Group(ResourceCatalog catalog, string group)
    {
        var found = catalog.Groups().FirstOrDefault(g => g.Group == group && g.Group.Length > 0);
        if (found.Group is null)
            return null;
        var body = GroupBody(found.Group, found.Versions);
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = body["name"]!.DeepClone(),
            ["versions"] = body["versions"]!.DeepClone(),
            ["preferredVersion"] = body["preferredVersion"]!.DeepClone(),
        };
    }

    private static JsonObject GroupBody(string group, IReadOnlyList<string> versions)
    {
        JsonObject Gv(string v) => new() { ["groupVersion"] = group + "/" + v, ["version"] = v };
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)Gv(v)).ToArray()),
            ["preferredVersion"] = Gv(versions[0]),
        };
    }

    public static JsonObject? ResourceList(ResourceCatalog catalog, string group, string version)
    {
        var defs = catalog.All.Where(d => d.Group == group && d.Version == version).ToList();
        if (defs.Count == 0)
            return null;
        var resources = new JsonArray();
        foreach (var d in defs.OrderBy(d => d.Plural, StringComparer.Ordinal))
        {
            var r = new JsonObject
            {
                ["name"] = d.Plural,
                ["singularName"] = d.SingularName,
                ["namespaced"] = d.Namespaced,
                ["kind"] = d.Kind,
                ["verbs"] = Strings(d.Verbs),
            };
            if (d.ShortNames.Count > 0)
                r["shortNames"] = Strings(d.ShortNames);
            if (d.Categories.Count > 0)
                r["categories"] = Strings(d.Categories);
            resources.Add(r);
            foreach (var sub in Subresources(d))
                resources.Add(sub);
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        };
    }

    private static IEnumerable<JsonObject> Subresources(ResourceDefinition d)
    {
        if (d.HasScale)
            yield return new JsonObject
            {
                ["name"] = d.Plural + "/scale", ["singularName"] = "", ["namespaced"] = d.Namespaced,
                ["group"] = "autoscaling", ["version"] = "v1", ["kind"] = "Scale", ["verbs"] = Strings(["get", "patch", "update"]),
            };
        if (d.HasStatus)
            yield return new JsonObject
            {
                ["name"] = d.Plural + "/status", ["singularName"] = "", ["namespaced"] = d.Namespaced,
                ["kind"] = d.Kind, ["verbs"] = Strings(["get", "patch", "update"]),
            };
        foreach (var extra in d.ExtraSubresources)
        {
            var (kind, verbs) = extra switch
            {
                "exec" => ("PodExecOptions", new[] { "create", "get" }),
                "attach" => ("PodAttachOptions", new[] { "create", "get" }),
                "portforward" => ("PodPortForwardOptions", new[] { "create", "get" }),
                "proxy" => (d.Kind + "ProxyOptions", new[] { "create", "delete", "get", "patch", "update" }),
                "log" => ("Pod", new[] { "get" }),
                "eviction" => ("Eviction", new[] { "create" }),
                "binding" => ("Binding", new[] { "create" }),
                "token" => ("TokenRequest", new[] { "create" }),
                "finalize" => (d.Kind, new[] { "update" }),
                _ => (d.Kind, new[] { "get", "patch", "update" }),
            };
            yield return new JsonObject
            {
                ["name"] = d.Plural + "/" + extra, ["singularName"] = "", ["namespaced"] = d.Namespaced,
                ["kind"] = kind, ["verbs"] = Strings(verbs),
            };
        }
    }

    private static JsonArray Strings(IEnumerable<string> values) =>
        new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
}
