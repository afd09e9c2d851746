using System.Text;

namespace KubeBackup.HelpBuilder;

/// <summary>Word-wraps text to a column limit, the way about_*.help.txt files are laid out.</summary>
internal static class TextWrapper
{
    /// <summary>
    /// Wraps text so no line passes width; the first line starts with firstIndent, later ones with
    /// restIndent (a hanging indent for list items). A single word longer than a line stands alone.
    /// </summary>
    public static IEnumerable<string> Wrap(string text, int width, string firstIndent, string restIndent)
    {
        var line = new StringBuilder(firstIndent);
        var lineHasWord = false;
        foreach (var word in text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (lineHasWord && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear().Append(restIndent);
                lineHasWord = false;
            }

            if (lineHasWord)
            {
                line.Append(' ');
            }

            line.Append(word);
            lineHasWord = true;
        }

        if (lineHasWord)
        {
            yield return line.ToString();
        }
    }
}
