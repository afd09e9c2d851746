using System.Text.RegularExpressions;

namespace KubeBackup.HelpBuilder;

/// <summary>
/// Reads one line of a SYNTAX block, the notation Get-Command -Syntax prints:
/// brackets around the name mean positional, brackets around the whole element mean optional.
/// </summary>
internal static partial class SyntaxParser
{
    // Tried in order at the current position: the most bracketed forms first.
    private static readonly (Regex Pattern, bool Required, bool Positional)[] Forms =
    [
        (OptionalPositional(), false, true),
        (RequiredPositional(), true, true),
        (OptionalNamed(), false, false),
        (OptionalSwitch(), false, false),
        (RequiredNamed(), true, false),
        (RequiredSwitch(), true, false),
    ];

    /// <summary>Parses the line, or returns null and the text it could not read.</summary>
    public static SyntaxItem? Parse(string line, out string? unreadable)
    {
        unreadable = null;
        var text = line.Trim();
        var nameEnd = text.IndexOfAny([' ', '\t']);
        var command = nameEnd < 0 ? text : text[..nameEnd];
        var parameters = new List<SyntaxParameter>();
        var position = command.Length;
        while (true)
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            if (position >= text.Length)
            {
                return new SyntaxItem(command, parameters);
            }

            var common = CommonParameters().Match(text, position);
            if (common.Success)
            {
                position += common.Length;
                continue;
            }

            var parameter = ReadParameter(text, ref position);
            if (parameter is null)
            {
                unreadable = text[position..];
                return null;
            }

            parameters.Add(parameter);
        }
    }

    private static SyntaxParameter? ReadParameter(string text, ref int position)
    {
        foreach (var (pattern, required, positional) in Forms)
        {
            var match = pattern.Match(text, position);
            if (match.Success)
            {
                position += match.Length;
                var type = match.Groups["type"];
                return new SyntaxParameter(match.Groups["name"].Value, required, positional, type.Success ? type.Value : null);
            }
        }

        return null;
    }

    [GeneratedRegex(@"\G\[<CommonParameters>\](?=\s|$)")]
    private static partial Regex CommonParameters();

    [GeneratedRegex(@"\G\[\[-(?<name>[\w]+)\]\s+<(?<type>[^>]+)>\](?=\s|$)")]
    private static partial Regex OptionalPositional();

    [GeneratedRegex(@"\G\[-(?<name>[\w]+)\]\s+<(?<type>[^>]+)>(?=\s|$)")]
    private static partial Regex RequiredPositional();

    [GeneratedRegex(@"\G\[-(?<name>[\w]+)\s+<(?<type>[^>]+)>\](?=\s|$)")]
    private static partial Regex OptionalNamed();

    [GeneratedRegex(@"\G\[-(?<name>[\w]+)\](?=\s|$)")]
    private static partial Regex OptionalSwitch();

    [GeneratedRegex(@"\G-(?<name>[\w]+)\s+<(?<type>[^>]+)>(?=\s|$)")]
    private static partial Regex RequiredNamed();

    [GeneratedRegex(@"\G-(?<name>[\w]+)(?=\s|$)")]
    private static partial Regex RequiredSwitch();
}
