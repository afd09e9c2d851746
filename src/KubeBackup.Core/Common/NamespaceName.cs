using System.Text.RegularExpressions;

namespace KubeBackup.Core.Common;

/// <summary>The API server's rule for namespace names: an RFC 1123 DNS label.</summary>
public static partial class NamespaceName
{
    private const int MaxLength = 63;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabel();

    /// <summary>What is wrong with <paramref name="name"/> as a namespace name, or null.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0)
        {
            return "a namespace name cannot be empty";
        }
        if (name.Length > MaxLength)
        {
            return $"'{name}' is longer than {MaxLength} characters, the limit for a namespace name";
        }
        return DnsLabel().IsMatch(name)
            ? null
            : $"'{name}' is not a valid namespace name (lower-case letters, digits and '-', starting and ending with a letter or digit)";
    }
}
