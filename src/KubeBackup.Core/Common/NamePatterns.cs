using System.Text.RegularExpressions;

namespace KubeBackup.Core.Common;

/// <summary>
/// Name filters as Velero and PowerShell users write them: <c>*</c> any run of characters, <c>?</c> one character,
/// case-sensitive like Kubernetes names. An empty list of includes means everything.
/// </summary>
public sealed class NamePatterns
{
    private readonly Regex[] _patterns;

    public NamePatterns(IEnumerable<string> patterns)
    {
        Texts = patterns.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).ToList();
        _patterns = Texts.Select(p => new Regex("^" + Regex.Escape(p).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant)).ToArray();
    }

    public IReadOnlyList<string> Texts { get; }

    public bool IsEmpty => Texts.Count == 0;

    /// <summary>True when the patterns are empty or contain <c>*</c> alone: every name.</summary>
    public bool MatchesEverything => IsEmpty || Texts.Contains("*");

    public bool Matches(string name) => _patterns.Any(p => p.IsMatch(name));

    public static bool HasWildcards(string pattern) => pattern.Contains('*') || pattern.Contains('?');

    /// <summary>The patterns that match none of <paramref name="names"/>: a typo the user should hear about.</summary>
    public IEnumerable<string> Unmatched(IReadOnlyCollection<string> names) =>
        Texts.Where((text, i) => text != "*" && !names.Any(n => _patterns[i].IsMatch(n)));
}
