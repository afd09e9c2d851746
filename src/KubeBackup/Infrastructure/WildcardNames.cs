using System.Management.Automation;

namespace KubeBackup.Infrastructure;

/// <summary>
/// The -Name filter of Get-* cmdlets: wildcards, case-insensitive, each item once, in the items' order; a plain
/// name that matches nothing is reported (a pattern that matches nothing is not, as Get-ChildItem does).
/// </summary>
internal static class WildcardNames
{
    public static IEnumerable<T> Select<T>(IReadOnlyList<T> items, string[]? names, Func<T, string> nameOf, Action<string> notFound)
    {
        if (names is null)
        {
            return items;
        }
        var selected = new List<T>();
        foreach (var name in names)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            var matches = items.Where(item => pattern.IsMatch(nameOf(item))).ToList();
            selected.AddRange(matches.Where(m => !selected.Contains(m)));
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                notFound(name);
            }
        }
        return selected;
    }

    /// <summary>A parameter's wildcard filters (case-insensitive), or null when it was not given: everything passes.</summary>
    public static WildcardPattern[]? Patterns(string[]? values) =>
        values?.Select(v => new WildcardPattern(v, WildcardOptions.IgnoreCase)).ToArray();

    /// <summary>True when no filter was given, or <paramref name="value"/> matches one of them (a null value matches none).</summary>
    public static bool Matches(WildcardPattern[]? patterns, string? value) =>
        patterns is null || (value is not null && patterns.Any(p => p.IsMatch(value)));
}
