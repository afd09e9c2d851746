using System.Text.RegularExpressions;

namespace KubeBackup.Module.Tests.Help;

/// <summary>
/// What the coverage tests need from a cmdlet page, read by plain line scanning rather than by HelpBuilder,
/// so a builder that dropped or misread a parameter would not also blind the test that checks it.
/// </summary>
internal sealed partial class PageFacts
{
    private PageFacts(string path) => Path = path;

    public string Path { get; }

    public string Synopsis { get; private set; } = string.Empty;

    /// <summary>The lines of the SYNTAX code blocks: one per parameter set.</summary>
    public List<string> SyntaxLines { get; } = [];

    /// <summary>Each documented parameter with its yaml blocks ("Key: value" maps), in page order.</summary>
    public List<(string Name, List<Dictionary<string, string>> Yaml)> Parameters { get; } = [];

    public static PageFacts Read(string path)
    {
        var facts = new PageFacts(path);
        var section = string.Empty;
        var synopsis = new List<string>();
        Dictionary<string, string>? yaml = null;
        var inSyntaxCode = false;
        foreach (var line in File.ReadAllLines(path))
        {
            if (section == "SYNTAX" && line.StartsWith("```", StringComparison.Ordinal))
            {
                inSyntaxCode = !inSyntaxCode;
                continue;
            }

            if (inSyntaxCode)
            {
                if (line.Trim().Length > 0)
                {
                    facts.SyntaxLines.Add(line.Trim());
                }

                continue;
            }

            if (yaml is not null)
            {
                if (line.StartsWith("```", StringComparison.Ordinal))
                {
                    facts.Parameters[^1].Yaml.Add(yaml);
                    yaml = null;
                }
                else if (KeyValue().Match(line) is { Success: true } pair)
                {
                    yaml[pair.Groups["key"].Value.Trim()] = pair.Groups["value"].Value.Trim();
                }

                continue;
            }

            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = line[3..].Trim();
            }
            else if (section == "SYNOPSIS" && line.Trim().Length > 0)
            {
                synopsis.Add(line.Trim());
            }
            else if (section == "PARAMETERS" && line.StartsWith("### -", StringComparison.Ordinal))
            {
                facts.Parameters.Add((line[5..].Trim(), []));
            }
            else if (section == "PARAMETERS" && line.Trim() == "```yaml" && facts.Parameters.Count > 0)
            {
                yaml = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            }
        }

        facts.Synopsis = string.Join(" ", synopsis);
        return facts;
    }

    /// <summary>The parameter names a syntax line uses, without the common parameters.</summary>
    public static HashSet<string> SyntaxParameters(string syntaxLine) =>
        ParameterToken().Matches(syntaxLine).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex(@"(?<=[\s\[])-(?<name>\w+)")]
    private static partial Regex ParameterToken();

    [GeneratedRegex(@"^(?<key>[^:]+):(?<value>.*)$")]
    private static partial Regex KeyValue();
}
