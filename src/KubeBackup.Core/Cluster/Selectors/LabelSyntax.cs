using System.Text.RegularExpressions;

namespace KubeBackup.Core.Cluster.Selectors;

/// <summary>
/// The API server's rules for label keys (qualified names: an optional DNS subdomain prefix and '/', then a name) and
/// label values. Each check returns what is wrong, or null.
/// </summary>
internal static partial class LabelSyntax
{
    private const int MaxNameLength = 63;
    private const int MaxPrefixLength = 253;

    [GeneratedRegex("^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsSubdomain();

    public static string? KeyProblem(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length == 0)
            {
                return $"the key '{key}' has an empty prefix before '/'";
            }

            if (prefix.Length > MaxPrefixLength)
            {
                return $"the prefix of the key '{key}' is longer than {MaxPrefixLength} characters";
            }

            if (!DnsSubdomain().IsMatch(prefix))
            {
                return $"the prefix '{prefix}' of the key '{key}' is not a DNS subdomain (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)";
            }
        }

        if (name.Length == 0)
        {
            return $"the key '{key}' has an empty name";
        }

        if (name.Length > MaxNameLength)
        {
            return $"the name part of the key '{key}' is longer than {MaxNameLength} characters";
        }

        return Name().IsMatch(name)
            ? null
            : $"the key '{key}' is not a valid label name (letters, digits, '-', '_' and '.', starting and ending with a letter or digit; one optional '/' after a DNS prefix)";
    }

    public static string? ValueProblem(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (value.Length > MaxNameLength)
        {
            return $"the value '{value}' is longer than {MaxNameLength} characters";
        }

        return Name().IsMatch(value)
            ? null
            : $"the value '{value}' is not a valid label value (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)";
    }
}
