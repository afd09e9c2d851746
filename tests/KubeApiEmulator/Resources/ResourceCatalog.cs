using System.Collections.Immutable;

namespace KubeApiEmulator.Resources;

/// <summary>The resources this cluster serves right now: the built-ins plus those of established CRDs.</summary>
public sealed class ResourceCatalog
{
    private ImmutableList<ResourceDefinition> _all;

    public ResourceCatalog(IEnumerable<ResourceDefinition> builtins) => _all = builtins.ToImmutableList();

    public IReadOnlyList<ResourceDefinition> All => _all;

    public ResourceDefinition? Find(string group, string version, string plural)
    {
        foreach (var d in _all)
            if (d.Plural == plural && d.Version == version && d.Group == group)
                return d;
        return null;
    }

    public ResourceDefinition? FindKind(string apiVersion, string kind)
    {
        foreach (var d in _all)
            if (d.Kind == kind && d.GroupVersion == apiVersion)
                return d;
        return null;
    }

    /// <summary>Any served version of a resource, for code that only needs the storage key.</summary>
    public ResourceDefinition? FindAnyVersion(string group, string plural) =>
        _all.FirstOrDefault(d => d.Group == group && d.Plural == plural);

    /// <summary>The group/versions in discovery order; within a group the preferred version comes first.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups()
    {
        var groups = new List<(string, IReadOnlyList<string>)>();
        foreach (var group in _all.Select(d => d.Group).Distinct())
        {
            var versions = _all.Where(d => d.Group == group).Select(d => d.Version).Distinct()
                .OrderBy(v => v, KubeVersionOrder.Instance).ToList();
            groups.Add((group, versions));
        }
        return groups;
    }

    public void Replace(string group, string plural, IReadOnlyList<ResourceDefinition> definitions)
    {
        ImmutableInterlocked.Update(ref _all, list =>
            list.RemoveAll(d => d.IsCustom && d.Group == group && d.Plural == plural).AddRange(definitions));
    }

    public void Remove(string group, string plural) => Replace(group, plural, []);
}

/// <summary>Kubernetes version priority: GA before beta before alpha, higher numbers first, others last by name.</summary>
public sealed class KubeVersionOrder : IComparer<string>
{
    public static readonly KubeVersionOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        var (kx, mx, nx) = Parse(x ?? "");
        var (ky, my, ny) = Parse(y ?? "");
        if (kx != ky)
            return ky.CompareTo(kx);
        if (kx == 0)
            return string.CompareOrdinal(x, y);
        if (mx != my)
            return my.CompareTo(mx);
        return ny.CompareTo(nx);
    }

    private static (int Kind, int Major, int Minor) Parse(string v)
    {
        var m = System.Text.RegularExpressions.Regex.Match(v, "^v([0-9]+)(?:(alpha|beta)([0-9]+))?$");
        if (!m.Success)
            return (0, 0, 0);
        var major = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (!m.Groups[2].Success)
            return (3, major, 0);
        var minor = int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
        return (m.Groups[2].Value == "beta" ? 2 : 1, major, minor);
    }
}
