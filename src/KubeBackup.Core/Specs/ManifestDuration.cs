using System.Text.RegularExpressions;
using KubeBackup.Core.Common;
using YamlDotNet.RepresentationModel;

namespace KubeBackup.Core.Specs;

/// <summary>
/// Duration fields of Velero manifests (<c>ttl</c>, hook <c>timeout</c>). Velero decodes them with Go's
/// time.ParseDuration; <see cref="DurationParser"/> reads that syntax and more (days, weeks, TimeSpan text). The extras
/// are accepted, because the rest of the module accepts them, with a warning that Velero itself would reject the file.
/// </summary>
internal static partial class ManifestDuration
{
    // Go's grammar: an optional sign, then "0" alone or one or more decimal numbers each with a unit.
    [GeneratedRegex(@"^[-+]?(0|((\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$", RegexOptions.CultureInvariant)]
    private static partial Regex GoDuration();

    public static TimeSpan? Read(SpecReader reader, YamlMappingNode map, string key, string path)
    {
        if (SpecReader.Get(map, key) is not { } node)
        {
            return null;
        }
        var text = reader.Text(node, path).Trim();
        // Go also spells microseconds with the Greek mu; DurationParser knows the micro sign.
        if (!DurationParser.TryParse(text.Replace('\u03bc', '\u00b5'), out var duration))
        {
            throw reader.Invalid(node, path, $"is '{text}', which is not a duration; write it as Go does, e.g. 30s, 30m, 168h or 720h0m0s");
        }
        if (!GoDuration().IsMatch(text))
        {
            reader.Warn(node, $"{path} '{text}' was read as {DurationParser.Format(duration)}; Velero accepts only Go durations such as 168h or 1h30m, and would reject this manifest.");
        }
        return duration;
    }
}
