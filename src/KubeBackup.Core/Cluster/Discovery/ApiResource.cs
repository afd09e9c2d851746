namespace KubeBackup.Core.Cluster.Discovery;

/// <summary>
/// One served resource type at its group's preferred version, as discovery describes it.
/// <see cref="SkipReason"/> is set when a backup must not list it (cannot be listed, or a duplicate of another
/// group's resource); such resources are still known so that filters naming them resolve.
/// </summary>
public sealed record ApiResource(
    string Group,
    string Version,
    string Resource,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> Verbs,
    IReadOnlyList<string> ShortNames,
    string SingularName = "")
{
    /// <summary>The apiVersion of the objects: <c>v1</c> for the core group, else <c>group/version</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The name kubectl and Velero filters use: <c>deployments.apps</c>, <c>pods</c> for the core group.</summary>
    public string FullName => Group.Length == 0 ? Resource : $"{Resource}.{Group}";

    /// <summary>Listing needs both verbs: list for the pages, get for what a restore or a re-read does.</summary>
    public bool Listable => Verbs.Contains("list") && Verbs.Contains("get");

    public string? SkipReason { get; init; }

    public bool IsBackupCandidate => SkipReason is null;

    /// <summary>The request path of a list, in one namespace or across all.</summary>
    internal string ListPath(string? @namespace)
    {
        var root = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return Namespaced && !string.IsNullOrEmpty(@namespace)
            ? $"{root}/namespaces/{Uri.EscapeDataString(@namespace)}/{Resource}"
            : $"{root}/{Resource}";
    }

    public override string ToString() => FullName;
}
