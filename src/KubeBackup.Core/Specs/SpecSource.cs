using System.Text.RegularExpressions;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Specs;

/// <summary>
/// What a <c>-Spec</c> argument holds: manifest text (runbooks keep it in a variable and have no file) or the path of
/// a file. Errors name the file, or <see cref="InlineTextTarget"/> for text, never the text itself.
/// </summary>
internal static partial class SpecSource
{
    public const string InlineTextTarget = "<text>";

    // The field name must be followed by its colon: "kind-backup.yaml" (kind is also a local-cluster tool) is a path.
    [GeneratedRegex(@"^\s*(apiVersion|kind)\s*:", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingField();

    public static bool IsInlineText(string value) =>
        value.Contains('\n') || value.TrimStart().StartsWith('{') || LeadingField().IsMatch(value);

    /// <summary>Reads the file at <paramref name="path"/> (<c>~</c> expanded, relative to <paramref name="baseDirectory"/>).</summary>
    public static (string Text, string FullPath) ReadFile(string path, string baseDirectory)
    {
        var trimmed = path.Trim();
        if (trimmed == "~" || trimmed.StartsWith("~/", StringComparison.Ordinal) || trimmed.StartsWith("~\\", StringComparison.Ordinal))
        {
            trimmed = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), trimmed.Length > 2 ? trimmed[2..] : string.Empty);
        }
        string full;
        try
        {
            full = Path.GetFullPath(trimmed, baseDirectory);
        }
        catch (ArgumentException e)
        {
            throw new KbException(ErrorIds.SpecFileNotFound, KbErrorCategory.ObjectNotFound, path, $"'{path}' is not a file path: {e.Message}", e);
        }
        if (!File.Exists(full))
        {
            var what = Directory.Exists(full) ? "is a directory, not a manifest file" : "does not exist";
            throw new KbException(ErrorIds.SpecFileNotFound, KbErrorCategory.ObjectNotFound, full,
                $"The manifest file '{full}' {what}. Pass the path of a YAML file, or the manifest text itself.");
        }
        try
        {
            return (File.ReadAllText(full), full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KbException(ErrorIds.SpecFileUnreadable, KbErrorCategory.ReadError, full, $"The manifest file '{full}' could not be read: {e.Message}", e);
        }
    }
}
