using System.Text.RegularExpressions;

namespace KbShell;

/// <summary>Passes shell arguments to a script: parameter names as they are, values single-quoted.</summary>
internal static partial class ScriptArguments
{
    [GeneratedRegex(@"^-[A-Za-z][A-Za-z0-9]*:?$")]
    private static partial Regex ParameterName();

    public static string Join(IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Select(a => ParameterName().IsMatch(a) ? a : Quote(a)));

    public static string Quote(string value) => "'" + value.Replace("'", "''") + "'";
}
