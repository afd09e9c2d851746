using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace KubeBackup.HelpBuilder;

/// <summary>
/// A help page cut along its headings: front matter, the "#" title, "##" sections and their "###" subsections.
/// Both cmdlet pages and about_ topics share this outline; the readers give the sections their meaning.
/// </summary>
internal sealed class MarkdownPage
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().Build();

    private MarkdownPage(string file, IReadOnlyList<string> lines, IReadOnlyDictionary<string, string> frontMatter)
    {
        File = file;
        Lines = lines;
        FrontMatter = frontMatter;
    }

    public string File { get; }

    /// <summary>The page name the file claims: its name without ".md".</summary>
    public string FileTopic => Path.GetFileNameWithoutExtension(File);

    /// <summary>The page's text as written, line by line.</summary>
    public IReadOnlyList<string> Lines { get; }

    public IReadOnlyDictionary<string, string> FrontMatter { get; }

    public string? Title { get; private set; }

    public int TitleLine { get; private set; } = 1;

    public List<PageSection> Sections { get; } = [];

    public static MarkdownPage Load(string file)
    {
        var lines = System.IO.File.ReadAllText(file).ReplaceLineEndings("\n").Split('\n');
        var original = lines.ToArray();
        var frontMatter = TakeFrontMatter(lines);
        var page = new MarkdownPage(file, original, frontMatter);
        page.Outline(Markdown.Parse(string.Join('\n', lines), Pipeline));
        return page;
    }

    /// <summary>
    /// Reads the "---" front matter and blanks its lines, so Markdig does not take it for a
    /// thematic break and a setext heading, while every later block keeps its real line number.
    /// </summary>
    private static Dictionary<string, string> TakeFrontMatter(string[] lines)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (lines.Length == 0 || lines[0].TrimEnd() != "---")
        {
            return result;
        }

        var end = Array.FindIndex(lines, 1, l => l.TrimEnd() == "---");
        if (end < 0)
        {
            return result;
        }

        foreach (var (key, value, _) in MetadataBlock.Parse(lines[1..end], 2))
        {
            if (key.Length > 0)
            {
                result[key] = value;
            }
        }

        for (var i = 0; i <= end; i++)
        {
            lines[i] = string.Empty;
        }

        return result;
    }

    private void Outline(MarkdownDocument document)
    {
        PageSection? section = null;
        PageSubsection? subsection = null;
        foreach (var block in document)
        {
            if (block is HeadingBlock heading && heading.Level <= 3)
            {
                var text = InlineText(heading.Inline).Trim();
                var line = heading.Line + 1;
                if (heading.Level == 1 && Title is null && section is null)
                {
                    Title = text;
                    TitleLine = line;
                    continue;
                }

                if (heading.Level <= 2)
                {
                    section = new PageSection(text, line);
                    subsection = null;
                    Sections.Add(section);
                    continue;
                }

                if (section is not null)
                {
                    subsection = new PageSubsection(text, line);
                    section.Subsections.Add(subsection);
                    continue;
                }
            }

            if (subsection is not null)
            {
                subsection.Blocks.Add(block);
            }
            else
            {
                section?.Blocks.Add(block);
            }
        }
    }

    internal static string InlineText(ContainerInline? inline) =>
        inline is null ? string.Empty : MarkdownText.Inlines(inline);
}

/// <summary>A "##" section: the blocks before its first "###" and the subsections after.</summary>
internal sealed class PageSection(string heading, int line)
{
    public string Heading { get; } = heading;

    public int Line { get; } = line;

    public List<Block> Blocks { get; } = [];

    public List<PageSubsection> Subsections { get; } = [];
}

internal sealed class PageSubsection(string heading, int line)
{
    public string Heading { get; } = heading;

    public int Line { get; } = line;

    public List<Block> Blocks { get; } = [];
}
