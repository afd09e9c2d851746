using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Snapshots;

/// <summary>
/// Snapshot names from a format: <c>{pvc}</c>, <c>{namespace}</c>, <c>{type}</c> and <c>{time:FORMAT}</c> (UTC, .NET
/// custom date format) are replaced; the default is the seed's <c>&lt;pvc&gt;-snap-&lt;yyyyMMdd-HHmm&gt;</c>.
/// </summary>
public static partial class SnapshotNames
{
    public const string DefaultFormat = "{pvc}-snap-{time:yyyyMMdd-HHmm}";

    /// <summary>Object names are DNS subdomains: at most 253 characters.</summary>
    public const int MaxLength = 253;

    [GeneratedRegex(@"\{(?<token>[a-z]+)(:(?<format>[^{}]*))?\}", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Subdomain();

    /// <summary>Checks a format before anything is created: known tokens, balanced braces.</summary>
    /// <exception cref="KbException"><see cref="ErrorIds.SnapshotNameInvalid"/>.</exception>
    public static void ValidateFormat(string format)
    {
        if (string.IsNullOrWhiteSpace(format))
        {
            throw Invalid(format, "The snapshot name format is empty.");
        }
        var rest = Token().Replace(format, m =>
        {
            var token = m.Groups["token"].Value;
            if (token is not ("pvc" or "namespace" or "type" or "time"))
            {
                throw Invalid(format, $"The snapshot name format has an unknown token '{{{token}}}'; use {{pvc}}, {{namespace}}, {{type}} or {{time:FORMAT}}.");
            }
            return "";
        });
        if (rest.Contains('{') || rest.Contains('}'))
        {
            throw Invalid(format, $"The snapshot name format '{format}' has an unmatched brace.");
        }
    }

    /// <summary>The name for one claim's snapshot, checked; with <paramref name="fit"/>, a too long name is cut to fit (<see cref="Fit"/>).</summary>
    /// <exception cref="KbException"><see cref="ErrorIds.SnapshotNameInvalid"/> when the result is not a valid name (too long, bad characters).</exception>
    public static string Format(string format, string claimNamespace, string claim, string backupType, DateTimeOffset time, bool fit = false)
    {
        var utc = time.ToUniversalTime();
        var name = Token().Replace(format, m => m.Groups["token"].Value switch
        {
            "pvc" => claim,
            "namespace" => claimNamespace,
            "type" => backupType,
            "time" => utc.ToString(m.Groups["format"].Success && m.Groups["format"].Length > 0 ? m.Groups["format"].Value : "yyyyMMdd-HHmm", CultureInfo.InvariantCulture),
            var other => throw Invalid(format, $"The snapshot name format has an unknown token '{{{other}}}'."),
        });
        if (fit)
        {
            name = Fit(name);
        }
        if (Problem(name) is { } problem)
        {
            throw Invalid(name, $"The snapshot name '{Shorten(name)}' for claim {claimNamespace}/{claim} {problem}; choose a shorter or simpler -NameFormat.");
        }
        return name;
    }

    /// <summary>Why a name is not a valid object name; null when it is.</summary>
    public static string? Problem(string name) =>
        name.Length > MaxLength ? $"is {name.Length} characters long, more than the {MaxLength} a name may have"
        : !Subdomain().IsMatch(name) ? "is not a valid name (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)"
        : null;

    /// <summary>
    /// A name made of parts that must stay unique but fit: the parts joined with '-', and when too long, cut and ended
    /// with a hash of the whole, so two long names never collide.
    /// </summary>
    public static string Fit(string name, int maxLength = MaxLength)
    {
        if (name.Length <= maxLength)
        {
            return name;
        }
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..10].ToLowerInvariant();
        return name[..(maxLength - hash.Length - 1)].TrimEnd('-', '.') + "-" + hash;
    }

    private static string Shorten(string name) => name.Length > 80 ? name[..77] + "..." : name;

    private static KbException Invalid(object target, string message) =>
        new(ErrorIds.SnapshotNameInvalid, KbErrorCategory.InvalidArgument, target, message);
}
