using System.Management.Automation;

namespace KubeBackup.Completers;

/// <summary>Shared completion logic: wildcard filtering and quoting of names with spaces or quotes.</summary>
internal static class CompletionResults
{
    public static IEnumerable<CompletionResult> Matching(string wordToComplete, IEnumerable<(string Name, string ToolTip)> candidates)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var pattern = new WildcardPattern(word + "*", WildcardOptions.IgnoreCase);
        return candidates
            .Where(c => pattern.IsMatch(c.Name))
            .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .Select(c => new CompletionResult(Quote(c.Name), c.Name, CompletionResultType.ParameterValue, string.IsNullOrEmpty(c.ToolTip) ? c.Name : c.ToolTip))
            .ToList();
    }

    private static string Quote(string name) =>
        name.IndexOfAny([' ', '\'', '"', '$', '`', '(', ')', '{', '}', ';', ',', '&', '|', '@', '#']) >= 0
            ? "'" + name.Replace("'", "''") + "'"
            : name;
}
