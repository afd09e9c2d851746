namespace KubeBackup.Core.Rbac;

/// <summary>
/// One permission a role needs: the verbs on one resource of one API group (the core group is "").
/// <see cref="ClusterScoped"/> says whether the resource lives outside namespaces, which decides whether a
/// namespace-restricted manifest puts the rule in a per-namespace Role or in the ClusterRole.
/// </summary>
public sealed record RbacRule(string ApiGroup, string Resource, bool ClusterScoped, IReadOnlyList<string> Verbs)
{
    public static RbacRule Namespaced(string apiGroup, string resource, params string[] verbs) => new(apiGroup, resource, false, verbs);

    public static RbacRule Cluster(string apiGroup, string resource, params string[] verbs) => new(apiGroup, resource, true, verbs);
}
