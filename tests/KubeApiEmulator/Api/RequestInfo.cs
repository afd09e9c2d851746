namespace KubeApiEmulator.Api;

/// <summary>What a resource request addresses, parsed from its path as the apiserver's RequestInfoFactory does.</summary>
public sealed record RequestInfo
{
    public required string Group { get; init; }
    public required string Version { get; init; }
    public required string Resource { get; init; }
    public string? Namespace { get; init; }
    public string? Name { get; init; }
    public string? Subresource { get; init; }
    public required string Verb { get; init; }

    private static readonly HashSet<string> NamespaceSubresources = ["status", "finalize"];

    /// <summary>Null when the path is not a resource path (discovery and other endpoints).</summary>
    public static RequestInfo? Parse(string path, string method, bool watch)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group, version;
        int rest;
        if (parts.Length >= 3 && parts[0] == "api")
            (group, version, rest) = ("", parts[1], 2);
        else if (parts.Length >= 4 && parts[0] == "apis")
            (group, version, rest) = (parts[1], parts[2], 3);
        else
            return null;
        var p = parts[rest..];
        string? ns = null;
        if (p.Length > 1 && p[0] == "namespaces" && (p.Length == 2 || !NamespaceSubresources.Contains(p[2])))
        {
            ns = p[1];
            if (p.Length > 2)
                p = p[2..];
            else
                return Build(group, version, "namespaces", null, p[1], null, method, watch);
        }
        if (p.Length > 3)
            return null;
        var resource = p[0];
        var name = p.Length > 1 ? p[1] : null;
        var sub = p.Length > 2 ? p[2] : null;
        if (resource == "namespaces" && ns is null)
            return Build(group, version, resource, null, name, sub, method, watch);
        return Build(group, version, resource, ns, name, sub, method, watch);
    }

    private static RequestInfo Build(string group, string version, string resource, string? ns, string? name, string? sub, string method, bool watch)
    {
        var verb = method switch
        {
            "GET" or "HEAD" => watch ? "watch" : name is null ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name is null ? "deletecollection" : "delete",
            _ => method.ToLowerInvariant(),
        };
        return new RequestInfo { Group = group, Version = version, Resource = resource, Namespace = ns, Name = name, Subresource = sub, Verb = verb };
    }
}
