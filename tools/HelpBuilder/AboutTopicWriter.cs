namespace KubeBackup.HelpBuilder;

/// <summary>
/// Writes an about_*.help.txt in the classic layout Get-Help prints as is: "TOPIC" then the name,
/// section headings uppercased at the margin, text indented four spaces and wrapped at 80 columns,
/// code indented eight and never wrapped, since rewrapping a command line would change it.
/// </summary>
internal static class AboutTopicWriter
{
    public const int Width = 80;
    private const string Indent = "    ";
    private const string CodeIndent = "        ";

    public static void Write(AboutTopic topic, string path) =>
        File.WriteAllText(path, Render(topic));

    public static string Render(AboutTopic topic)
    {
        var lines = new List<string> { "TOPIC", Indent + topic.Name };
        foreach (var section in topic.Sections)
        {
            lines.Add(string.Empty);
            lines.Add(section.Heading.ToUpperInvariant());
            TextBlock? previous = null;
            foreach (var block in section.Blocks)
            {
                // Items of one list stay together; every other block is set off by a blank line.
                if (previous is not null && !(previous.Kind == TextKind.ListItem && block.Kind == TextKind.ListItem))
                {
                    lines.Add(string.Empty);
                }

                previous = block;
                lines.AddRange(BlockLines(block));
            }
        }

        return string.Join('\n', lines) + "\n";
    }

    private static IEnumerable<string> BlockLines(TextBlock block) => block.Kind switch
    {
        TextKind.Heading => TextWrapper.Wrap(block.Text.ToUpperInvariant(), Width, Indent, Indent),
        TextKind.Code => block.Text.Split('\n').Select(l => l.Length == 0 ? string.Empty : CodeIndent + l),
        TextKind.ListItem => TextWrapper.Wrap(
            block.Text, Width, $"{Indent}{block.Marker} ", Indent + new string(' ', block.Marker.Length + 1)),
        _ => block.Text.Split('\n').SelectMany(l => TextWrapper.Wrap(l, Width, Indent, Indent)),
    };
}
