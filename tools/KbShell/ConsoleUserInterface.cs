using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text.RegularExpressions;

namespace KbShell;

/// <summary>Console output with colours for warnings and errors, a one-line progress display, and simple prompts.</summary>
internal sealed partial class ConsoleUserInterface : PSHostUserInterface
{
    private readonly ConsoleRawUserInterface _raw = new();

    public override PSHostRawUserInterface RawUI => _raw;

    public override bool SupportsVirtualTerminal => !Console.IsOutputRedirected;

    public override void Write(string value) => Console.Out.Write(Plain(value));

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Console.Out.Write(Plain(value));

    public override void WriteLine(string value) => Console.Out.WriteLine(Plain(value));

    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex EscapeSequence();

    // Table headers come styled; a file or a pipe gets them without escape sequences.
    private static string Plain(string value) => Console.IsOutputRedirected ? EscapeSequence().Replace(value, string.Empty) : value;

    public override void WriteErrorLine(string value) => Coloured(ConsoleColor.Red, value);

    public override void WriteWarningLine(string message) => Coloured(ConsoleColor.Yellow, "WARNING: " + message);

    public override void WriteVerboseLine(string message) => Coloured(ConsoleColor.Cyan, "VERBOSE: " + message);

    public override void WriteDebugLine(string message) => Coloured(ConsoleColor.Cyan, "DEBUG: " + message);

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        if (record.RecordType != ProgressRecordType.Completed && !Console.IsErrorRedirected)
        {
            var percent = record.PercentComplete >= 0 ? $" {record.PercentComplete}%" : string.Empty;
            Console.Error.Write($"\r{record.Activity}: {record.StatusDescription}{percent}".PadRight(Math.Max(0, _raw.BufferSize.Width - 1))[..Math.Max(0, _raw.BufferSize.Width - 1)] + "\r");
        }
    }

    public override string ReadLine() => Console.ReadLine() ?? string.Empty;

    public override SecureString ReadLineAsSecureString()
    {
        var secure = new SecureString();
        foreach (var c in ReadLine())
        {
            secure.AppendChar(c);
        }
        secure.MakeReadOnly();
        return secure;
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        WriteLine(caption);
        WriteLine(message);
        return descriptions.ToDictionary(d => d.Name, d =>
        {
            Write($"{d.Name}: ");
            return new PSObject(ReadLine());
        });
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        WriteLine(caption);
        WriteLine(message);
        var labels = choices.Select(c => c.Label.Replace("&", string.Empty)).ToList();
        while (true)
        {
            Write($"[{string.Join("] [", labels)}] (default {labels[defaultChoice]}): ");
            var answer = ReadLine().Trim();
            if (answer.Length == 0)
            {
                return defaultChoice;
            }
            var index = choices.ToList().FindIndex(c =>
                c.Label.Replace("&", string.Empty).Equals(answer, StringComparison.OrdinalIgnoreCase) ||
                (c.Label.IndexOf('&') is var amp and >= 0 && amp + 1 < c.Label.Length && char.ToUpperInvariant(c.Label[amp + 1]) == char.ToUpperInvariant(answer[0]) && answer.Length == 1));
            if (index >= 0)
            {
                return index;
            }
        }
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        throw new NotSupportedException("KbShell cannot prompt for credentials; pass them as parameters.");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
        PromptForCredential(caption, message, userName, targetName);

    private static void Coloured(ConsoleColor colour, string text)
    {
        var previous = Console.ForegroundColor;
        Console.ForegroundColor = colour;
        Console.Error.WriteLine(text);
        Console.ForegroundColor = previous;
    }
}
