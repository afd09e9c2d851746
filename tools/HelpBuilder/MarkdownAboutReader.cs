namespace KubeBackup.HelpBuilder;

/// <summary>
/// Reads an about_ page. Get-Help takes the line after "SHORT DESCRIPTION" as the topic's synopsis,
/// so that section and a long description are required.
/// </summary>
internal sealed class MarkdownAboutReader(MarkdownPage page, HelpDiagnostics diagnostics)
{
    private static readonly string[] RequiredSections = ["SHORT DESCRIPTION", "LONG DESCRIPTION"];

    public AboutTopic? Read()
    {
        var before = diagnostics.Errors.Count;
        var name = page.FileTopic;
        if (page.Title is null)
        {
            diagnostics.Error(page.File, 1, $"the page has no '# {name}' title");
        }
        else if (!string.Equals(page.Title, name, StringComparison.Ordinal))
        {
            diagnostics.Error(page.File, page.TitleLine, $"the title '{page.Title}' does not match the file name '{name}.md'");
        }

        var sections = new List<AboutSection>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var section in page.Sections)
        {
            if (!seen.Add(section.Heading))
            {
                diagnostics.Error(page.File, section.Line, $"section '## {section.Heading}' appears twice");
            }

            var blocks = MarkdownText.Blocks(section.Blocks);
            foreach (var sub in section.Subsections)
            {
                blocks.Add(new TextBlock(TextKind.Heading, sub.Heading));
                blocks.AddRange(MarkdownText.Blocks(sub.Blocks));
            }

            if (RequiredSections.Contains(section.Heading, StringComparer.OrdinalIgnoreCase) && blocks.Count == 0)
            {
                diagnostics.Error(page.File, section.Line, $"section '## {section.Heading}' is empty");
            }

            sections.Add(new AboutSection(section.Heading, blocks));
        }

        foreach (var required in RequiredSections.Where(r => !seen.Contains(r)))
        {
            diagnostics.Error(page.File, page.TitleLine, $"required section '## {required}' is missing");
        }

        return diagnostics.Errors.Count > before ? null : new AboutTopic(name, sections);
    }
}
