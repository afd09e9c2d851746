using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace KubeBackup.HelpBuilder;

/// <summary>What a markdown block becomes in plain-text help.</summary>
internal enum TextKind
{
    Paragraph,
    ListItem,
    Code,
    Heading,
}

/// <summary>A block of plain text; Marker is the list bullet or number for list items.</summary>
internal sealed record TextBlock(TextKind Kind, string Text, string Marker = "");

/// <summary>
/// Turns markdown blocks into the plain text that Get-Help shows: emphasis markers dropped,
/// inline code kept in backticks (as the PowerShell team's own help does), links shown as their text.
/// </summary>
internal static class MarkdownText
{
    public static List<TextBlock> Blocks(IEnumerable<Block> blocks)
    {
        var result = new List<TextBlock>();
        foreach (var block in blocks)
        {
            Append(block, result);
        }

        return result;
    }

    /// <summary>The blocks as MAML paragraphs: one string each, list items keeping their bullet.</summary>
    public static List<string> Paragraphs(IEnumerable<Block> blocks) =>
        Blocks(blocks).Select(b => b.Kind == TextKind.ListItem ? $"{b.Marker} {b.Text}" : b.Text)
            .Where(t => t.Length > 0)
            .ToList();

    public static string Inlines(ContainerInline container)
    {
        var text = new StringBuilder();
        AppendInlines(container, text);
        return text.ToString();
    }

    private static void Append(Block block, List<TextBlock> result)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                result.Add(new TextBlock(TextKind.Paragraph, MarkdownPage.InlineText(paragraph.Inline).Trim()));
                break;
            case HeadingBlock heading:
                result.Add(new TextBlock(TextKind.Heading, MarkdownPage.InlineText(heading.Inline).Trim()));
                break;
            case CodeBlock code:
                result.Add(new TextBlock(TextKind.Code, CodeText(code)));
                break;
            case ListBlock list:
                AppendList(list, result);
                break;
            case ContainerBlock container:
                foreach (var child in container)
                {
                    Append(child, result);
                }

                break;
            case ThematicBreakBlock:
                break;
            case LeafBlock leaf:
                result.Add(new TextBlock(TextKind.Paragraph, leaf.Lines.ToString().Trim()));
                break;
        }
    }

    private static void AppendList(ListBlock list, List<TextBlock> result)
    {
        var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var marker = list.IsOrdered ? $"{number++}." : "-";
            var parts = Blocks(item);
            var text = string.Join(" ", parts.Where(p => p.Kind == TextKind.Paragraph).Select(p => p.Text));
            result.Add(new TextBlock(TextKind.ListItem, text, marker));
            result.AddRange(parts.Where(p => p.Kind != TextKind.Paragraph));
        }
    }

    public static string CodeText(CodeBlock code)
    {
        var lines = code.Lines.Lines.Take(code.Lines.Count).Select(l => l.Slice.ToString());
        return string.Join('\n', lines).TrimEnd();
    }

    private static void AppendInlines(ContainerInline container, StringBuilder text)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.ToString());
                    break;
                case CodeInline code:
                    text.Append('`').Append(code.Content).Append('`');
                    break;
                case LineBreakInline lineBreak:
                    text.Append(lineBreak.IsHard ? "\n" : " ");
                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.Url);
                    break;
                case LinkInline link when link.FirstChild is null:
                    text.Append(link.Url);
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.ToString());
                    break;
                case HtmlInline html:
                    text.Append(html.Tag);
                    break;
                case ContainerInline child:
                    AppendInlines(child, text);
                    break;
            }
        }
    }
}
