namespace KubeBackup.HelpBuilder;

/// <summary>
/// The flat "Key: value" lines of the front matter and of a parameter's yaml block.
/// platyPS writes nothing nested there, so a full YAML parser would only add ways to misread it.
/// </summary>
internal static class MetadataBlock
{
    /// <summary>
    /// Yields each key, its value and the line it is on; firstLine is the 1-based line of lines[0].
    /// A line that is not blank and has no key comes back with an empty key, for the caller to report.
    /// </summary>
    public static IEnumerable<(string Key, string Value, int Line)> Parse(IEnumerable<string> lines, int firstLine)
    {
        var line = firstLine;
        foreach (var text in lines)
        {
            var colon = text.IndexOf(':');
            if (colon > 0)
            {
                yield return (text[..colon].Trim(), text[(colon + 1)..].Trim(), line);
            }
            else if (!string.IsNullOrWhiteSpace(text))
            {
                yield return (string.Empty, text.Trim(), line);
            }

            line++;
        }
    }
}
