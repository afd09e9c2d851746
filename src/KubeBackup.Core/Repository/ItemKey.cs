namespace KubeBackup.Core.Repository;

/// <summary>What an entry of a backup is: a Kubernetes object (or a stream attached to one, e.g. a database dump).
/// <see cref="Namespace"/> is null for cluster-scoped objects; <see cref="Group"/> is empty for the core group.</summary>
public sealed record ItemKey(string Group, string Version, string Resource, string? Namespace, string Name)
{
    public override string ToString() =>
        $"{(Group.Length == 0 ? Version : Group + "/" + Version)} {Resource} {(Namespace is null ? Name : Namespace + "/" + Name)}";

    internal string SortKey => string.Join('\u0000', Namespace ?? "", Group, Resource, Name, Version);
}
