using System.Text.RegularExpressions;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace KubeBackup.HelpBuilder;

/// <summary>
/// Reads a cmdlet page in the platyPS schema into a <see cref="CommandHelp"/>, reporting every departure
/// from the schema: a page Get-Help would show half-empty must fail the build, not ship.
/// </summary>
internal sealed partial class MarkdownCommandReader(MarkdownPage page, string helpFileName, HelpDiagnostics diagnostics)
{
    private static readonly string[] RequiredSections =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS"];

    private static readonly string[] OptionalSections = ["ALIASES", "NOTES", "RELATED LINKS"];

    // Documented by PowerShell itself; a page names them only to say the cmdlet supports them.
    private static readonly string[] CommonParameterHeadings = ["CommonParameters", "WorkflowCommonParameters"];

    private readonly Dictionary<string, PageSection> _sections = new(StringComparer.OrdinalIgnoreCase);

    // Every "### -Name" heading, read or not, so a parameter with a broken yaml block is reported once, not
    // again as undocumented.
    private readonly HashSet<string> _parameterHeadings = new(StringComparer.OrdinalIgnoreCase);

    public CommandHelp? Read()
    {
        var before = diagnostics.Errors.Count;
        var name = ReadTitle();
        CheckFrontMatter();
        CheckPlaceholders();
        IndexSections();

        var synopsis = string.Join(" ", RequiredText("SYNOPSIS"));
        var description = RequiredText("DESCRIPTION");
        var syntax = ReadSyntax(name);
        var parameters = ReadParameters();
        CheckSyntaxAgainstParameters(syntax, parameters);
        var examples = ReadExamples();
        var inputs = ReadTypes("INPUTS");
        var outputs = ReadTypes("OUTPUTS");
        var notes = _sections.TryGetValue("NOTES", out var notesSection) ? SectionText(notesSection) : [];
        var links = ReadRelatedLinks();

        if (diagnostics.Errors.Count > before)
        {
            return null;
        }

        return new CommandHelp(name, synopsis, description, syntax, parameters, inputs, outputs, notes, examples, links);
    }

    private string ReadTitle()
    {
        var expected = page.FileTopic;
        if (page.Title is null)
        {
            Error(1, $"the page has no '# {expected}' title");
            return expected;
        }

        if (!string.Equals(page.Title, expected, StringComparison.Ordinal))
        {
            Error(page.TitleLine, $"the title '{page.Title}' does not match the file name '{expected}.md'");
        }

        var dash = expected.IndexOf('-');
        if (dash <= 0 || dash == expected.Length - 1)
        {
            Error(page.TitleLine, $"'{expected}' is not a Verb-Noun cmdlet name; about topics are named about_<Topic>.md");
        }

        return expected;
    }

    private void CheckFrontMatter()
    {
        if (page.FrontMatter.TryGetValue("external help file", out var declared) &&
            declared.Length > 0 &&
            !string.Equals(declared, helpFileName, StringComparison.OrdinalIgnoreCase))
        {
            Error(2, $"the front matter names external help file '{declared}' but the module's help file is '{helpFileName}'");
        }
    }

    /// <summary>
    /// New-MarkdownHelp fills what it cannot know with "{{ Fill ... }}" and "{{ Add example ... }}"; such a
    /// page is unfinished. Other "{{" text is left alone: kubectl go-templates in examples use it.
    /// </summary>
    private void CheckPlaceholders()
    {
        for (var i = 0; i < page.Lines.Count; i++)
        {
            if (Placeholder().IsMatch(page.Lines[i]))
            {
                Error(i + 1, $"placeholder left in the page: '{page.Lines[i].Trim()}'");
            }
        }
    }

    [GeneratedRegex(@"\{\{\s*(Fill|Add example)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Placeholder();

    private void IndexSections()
    {
        foreach (var section in page.Sections)
        {
            var heading = section.Heading.ToUpperInvariant();
            if (!RequiredSections.Contains(heading) && !OptionalSections.Contains(heading))
            {
                Error(section.Line, $"unknown section '## {section.Heading}'; the sections are {string.Join(", ", RequiredSections.Concat(OptionalSections))}");
            }
            else if (!_sections.TryAdd(heading, section))
            {
                Error(section.Line, $"section '## {section.Heading}' appears twice");
            }
        }

        foreach (var required in RequiredSections.Where(r => !_sections.ContainsKey(r)))
        {
            Error(page.TitleLine, $"required section '## {required}' is missing");
        }
    }

    private List<string> RequiredText(string heading)
    {
        if (!_sections.TryGetValue(heading, out var section))
        {
            return [];
        }

        var text = SectionText(section);
        if (text.Count == 0)
        {
            Error(section.Line, $"section '## {heading}' is empty");
        }

        return text;
    }

    private static List<string> SectionText(PageSection section) =>
        MarkdownText.Paragraphs(section.Blocks.Concat(section.Subsections.SelectMany(s => s.Blocks)));

    private List<SyntaxItem> ReadSyntax(string name)
    {
        var items = new List<SyntaxItem>();
        if (!_sections.TryGetValue("SYNTAX", out var section))
        {
            return items;
        }

        // platyPS puts one code block per parameter set, under "### SetName" when there are several.
        var blocks = section.Blocks.Concat(section.Subsections.SelectMany(s => s.Blocks)).OfType<FencedCodeBlock>();
        foreach (var block in blocks)
        {
            var lineNumber = block.Line + 1;
            foreach (var line in MarkdownText.CodeText(block).Split('\n'))
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                var item = SyntaxParser.Parse(line, out var unreadable);
                if (item is null)
                {
                    Error(lineNumber, $"cannot read the syntax at '{unreadable}'");
                }
                else if (!string.Equals(item.CommandName, name, StringComparison.Ordinal))
                {
                    Error(lineNumber, $"the syntax line is for '{item.CommandName}', not '{name}'");
                }
                else
                {
                    items.Add(item);
                }
            }
        }

        if (items.Count == 0)
        {
            Error(section.Line, "section '## SYNTAX' has no syntax line in a ``` code block");
        }

        return items;
    }

    private List<ParameterHelp> ReadParameters()
    {
        var parameters = new List<ParameterHelp>();
        if (!_sections.TryGetValue("PARAMETERS", out var section))
        {
            return parameters;
        }

        foreach (var sub in section.Subsections)
        {
            if (CommonParameterHeadings.Contains(sub.Heading, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!sub.Heading.StartsWith('-') || sub.Heading.Length < 2 || sub.Heading.Contains(' '))
            {
                Error(sub.Line, $"'### {sub.Heading}' is not a parameter heading; write '### -ParameterName'");
                continue;
            }

            var name = sub.Heading[1..];
            if (!_parameterHeadings.Add(name))
            {
                Error(sub.Line, $"parameter -{name} is documented twice");
                continue;
            }

            var parameter = ReadParameter(name, sub);
            if (parameter is not null)
            {
                parameters.Add(parameter);
            }
        }

        return parameters;
    }

    private ParameterHelp? ReadParameter(string name, PageSubsection sub)
    {
        var yamlBlocks = sub.Blocks.OfType<FencedCodeBlock>()
            .Where(b => string.Equals(b.Info, "yaml", StringComparison.OrdinalIgnoreCase))
            .ToList();
        var description = MarkdownText.Paragraphs(sub.Blocks.Where(b => !yamlBlocks.Contains(b)));
        if (description.Count == 0)
        {
            Error(sub.Line, $"parameter -{name} has no description");
        }

        if (yamlBlocks.Count == 0)
        {
            Error(sub.Line, $"parameter -{name} has no ```yaml metadata block (Type, Parameter Sets, Aliases, Required, Position, Default value, Accept pipeline input, Accept wildcard characters)");
            return null;
        }

        // platyPS writes a second block when the attributes differ between sets; the first one describes
        // the parameter here, and each syntax line carries what differs per set.
        var yaml = yamlBlocks[0];
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value, line) in MetadataBlock.Parse(MarkdownText.CodeText(yaml).Split('\n'), yaml.Line + 2))
        {
            if (key.Length == 0)
            {
                Error(line, $"parameter -{name}: '{value}' is not a 'Key: value' line");
            }
            else if (!values.TryAdd(key, (value, line)))
            {
                Error(line, $"parameter -{name}: '{key}' is given twice");
            }
        }

        string Value(string key, bool required)
        {
            if (values.TryGetValue(key, out var entry))
            {
                return entry.Value;
            }

            if (required)
            {
                Error(yaml.Line + 1, $"parameter -{name}: the yaml block has no '{key}:'");
            }

            return string.Empty;
        }

        var type = Value("Type", required: true);
        var requiredText = Value("Required", required: true);
        var position = Value("Position", required: true);
        var pipeline = Value("Accept pipeline input", required: false);
        var globbing = Value("Accept wildcard characters", required: false);

        var isRequired = ReadBool(name, "Required", requiredText, values);
        var isGlobbing = globbing.Length > 0 && ReadBool(name, "Accept wildcard characters", globbing, values);
        if (position.Length > 0 && !position.Equals("Named", StringComparison.OrdinalIgnoreCase) &&
            !(int.TryParse(position, out var index) && index >= 0))
        {
            Error(values["Position"].Line, $"parameter -{name}: Position '{position}' is neither Named nor a number from 0");
        }

        if (pipeline.Length > 0 &&
            !pipeline.StartsWith("True", StringComparison.OrdinalIgnoreCase) &&
            !pipeline.Equals("False", StringComparison.OrdinalIgnoreCase))
        {
            Error(values["Accept pipeline input"].Line, $"parameter -{name}: Accept pipeline input '{pipeline}' is neither False nor True (ByValue, ByPropertyName)");
        }

        var defaultValue = Value("Default value", required: false);
        return new ParameterHelp(
            name,
            description,
            type,
            List(Value("Parameter Sets", required: false)),
            List(Value("Aliases", required: false)),
            isRequired,
            position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : position,
            defaultValue.Length == 0 ? "None" : defaultValue,
            pipeline.Length == 0 ? "False" : pipeline,
            isGlobbing,
            List(Value("Accepted values", required: false)));
    }

    private bool ReadBool(string parameter, string key, string text, Dictionary<string, (string Value, int Line)> values)
    {
        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        if (text.Length > 0)
        {
            Error(values[key].Line, $"parameter -{parameter}: {key} '{text}' is neither True nor False");
        }

        return false;
    }

    private static List<string> List(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private void CheckSyntaxAgainstParameters(List<SyntaxItem> syntax, List<ParameterHelp> parameters)
    {
        if (!_sections.TryGetValue("SYNTAX", out var syntaxSection) || !_sections.ContainsKey("PARAMETERS"))
        {
            return;
        }

        var documented = parameters.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var used in syntax.SelectMany(s => s.Parameters).DistinctBy(p => p.Name, StringComparer.OrdinalIgnoreCase))
        {
            if (!_parameterHeadings.Contains(used.Name))
            {
                Error(syntaxSection.Line, $"the syntax uses -{used.Name} but '## PARAMETERS' does not document it");
            }
            else if (used.Positional && documented.TryGetValue(used.Name, out var parameter) && parameter.Position == "named")
            {
                Error(syntaxSection.Line, $"the syntax shows -{used.Name} as positional but its yaml says Position: Named");
            }
        }

        var inSyntax = syntax.SelectMany(s => s.Parameters).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in parameters.Where(p => !inSyntax.Contains(p.Name)))
        {
            Error(syntaxSection.Line, $"parameter -{parameter.Name} is documented but no syntax line uses it");
        }
    }

    private List<ExampleHelp> ReadExamples()
    {
        var examples = new List<ExampleHelp>();
        if (!_sections.TryGetValue("EXAMPLES", out var section))
        {
            return examples;
        }

        foreach (var sub in section.Subsections)
        {
            var code = sub.Blocks.OfType<FencedCodeBlock>().Select(MarkdownText.CodeText).ToList();
            if (code.Count == 0)
            {
                Error(sub.Line, $"example '{sub.Heading}' has no code block");
                continue;
            }

            var remarks = MarkdownText.Paragraphs(sub.Blocks.Where(b => b is not FencedCodeBlock));
            examples.Add(new ExampleHelp(sub.Heading, string.Join("\n\n", code), remarks));
        }

        if (section.Subsections.Count == 0)
        {
            Error(section.Line, "section '## EXAMPLES' has no example; add '### Example 1: <what it shows>' with a code block");
        }

        return examples;
    }

    private List<TypeHelp> ReadTypes(string heading)
    {
        var types = new List<TypeHelp>();
        if (!_sections.TryGetValue(heading, out var section))
        {
            return types;
        }

        foreach (var sub in section.Subsections)
        {
            types.Add(new TypeHelp(sub.Heading, MarkdownText.Paragraphs(sub.Blocks)));
        }

        if (types.Count == 0)
        {
            Error(section.Line, $"section '## {heading}' names no type; write '### TypeName' (or '### None')");
        }

        return types;
    }

    private List<RelatedLink> ReadRelatedLinks()
    {
        var links = new List<RelatedLink>();
        if (page.FrontMatter.TryGetValue("online version", out var online) && online.Length > 0)
        {
            links.Add(new RelatedLink("Online Version:", online));
        }

        if (!_sections.TryGetValue("RELATED LINKS", out var section))
        {
            return links;
        }

        // Links come as list items or paragraphs; either way each paragraph holds them.
        var paragraphs = section.Blocks.SelectMany(b => b.Descendants().Prepend(b)).OfType<ParagraphBlock>();
        foreach (var block in paragraphs)
        {
            var inlineLinks = block.Inline?.Descendants<LinkInline>().Where(l => !l.IsImage).ToList() ?? [];
            if (inlineLinks.Count == 0)
            {
                var text = MarkdownPage.InlineText(block.Inline).Trim();
                if (text.Length > 0)
                {
                    links.Add(new RelatedLink(text, string.Empty));
                }

                continue;
            }

            foreach (var link in inlineLinks)
            {
                var url = link.Url ?? string.Empty;
                var text = MarkdownText.Inlines(link).Trim();

                // A link to a sibling page means "see that help topic"; only web addresses work with -Online.
                var isWeb = Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
                links.Add(new RelatedLink(text.Length > 0 ? text : url, isWeb ? url : string.Empty));
            }
        }

        return links;
    }

    private void Error(int line, string message) => diagnostics.Error(page.File, line, message);
}
