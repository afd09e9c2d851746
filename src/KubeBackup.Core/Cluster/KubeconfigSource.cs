namespace KubeBackup.Core.Cluster;

/// <summary>
/// What <c>-Kubeconfig</c> holds: the path of a file, or the kubeconfig text itself (runbooks keep it
/// in an encrypted automation variable and have no file to point at).
/// </summary>
public static class KubeconfigSource
{
    /// <summary>The target object errors name for inline text: never the text, which holds credentials.</summary>
    public const string InlineTextTarget = "<kubeconfig text>";

    public static bool IsInlineText(string value)
    {
        var trimmed = value.TrimStart();
        return value.Contains('\n')
            || trimmed.StartsWith('{')
            || trimmed.StartsWith("apiVersion:", StringComparison.Ordinal)
            || trimmed.StartsWith("kind:", StringComparison.Ordinal);
    }

    /// <summary>Expands a leading <c>~</c> and makes the path absolute against the current directory.</summary>
    public static string ResolvePath(string path, string homeDirectory, string currentDirectory)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
        {
            path = Path.Combine(homeDirectory, path.Length > 2 ? path[2..] : string.Empty);
        }
        return Path.GetFullPath(path, currentDirectory);
    }

    /// <summary>KUBECONFIG may list several files joined by the path separator; empty entries are ignored.</summary>
    public static IReadOnlyList<string> SplitVariable(string value) =>
        value.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
