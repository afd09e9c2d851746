namespace KubeBackup.Core.Repository;

/// <summary>What an entry of a backup is: a Kubernetes object (or a stream attached to one, e.g. a database dump).
/// <see cref="Namespace"/> is null for cluster-scoped objects; <see cref="Group"/> is empty for the core group.</summary>
public sealed record ItemKey(string Group, string Version, string Resource, string? Namespace, string Name)
{
    public override string ToString() =>
        $"{(Group.Length == 0 ? Version : Group + "/" + Version)} {Resource} {(Namespace is null ? Name : Namespace + "/" + Name)}";

    internal string SortKey => string.Join('\u0000', Namespace ?? "", Group, Resource, Name, Version);

    /// <summary>The order of <see cref="SortKey"/> (fields compared in turn equal the joined text, as '\0' sorts first), without building it.</summary>
    internal static int CompareSortKeys(ItemKey a, ItemKey b)
    {
        var c = string.CompareOrdinal(a.Namespace ?? "", b.Namespace ?? "");
        c = c != 0 ? c : string.CompareOrdinal(a.Group, b.Group);
        c = c != 0 ? c : string.CompareOrdinal(a.Resource, b.Resource);
        c = c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
        return c != 0 ? c : string.CompareOrdinal(a.Version, b.Version);
    }
}
