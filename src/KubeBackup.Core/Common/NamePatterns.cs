namespace KubeBackup.Core.Common;

/// <summary>
/// A list of name filters (<see cref="NameWildcard"/> patterns), as Velero's included and excluded namespaces. An empty
/// list of includes means everything.
/// </summary>
public sealed class NamePatterns
{
    public NamePatterns(IEnumerable<string> patterns)
    {
        Texts = patterns.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).ToList();
    }

    public IReadOnlyList<string> Texts { get; }

    public bool IsEmpty => Texts.Count == 0;

    /// <summary>True when the patterns are empty or contain <c>*</c> alone: every name.</summary>
    public bool MatchesEverything => IsEmpty || Texts.Contains("*");

    public bool Matches(string name) => Texts.Any(p => NameWildcard.Matches(p, name));

    public static bool HasWildcards(string pattern) => pattern.Contains('*') || pattern.Contains('?');

    /// <summary>The patterns that match none of <paramref name="names"/>: a typo the user should hear about.</summary>
    public IEnumerable<string> Unmatched(IReadOnlyCollection<string> names) =>
        Texts.Where(text => text != "*" && !names.Any(n => NameWildcard.Matches(text, n)));
}
