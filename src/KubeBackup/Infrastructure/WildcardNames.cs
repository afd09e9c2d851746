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
}
