using YamlDotNet.RepresentationModel;

namespace KubeBackup.Core.Specs;

/// <summary>Fields Velero's Backup and Restore specs share, read and checked the same way for both.</summary>
internal static class VeleroSpecParts
{
    private const string ApiVersion = "velero.io/v1";

    // Velero's resources have these top-level fields; status is what Velero wrote back (kubectl get ... -o yaml), known
    // so that exported manifests read quietly.
    private static readonly string[] TopFields = ["apiVersion", "kind", "metadata", "spec", "status"];

    /// <summary>
    /// <paramref name="fileOrText"/> is manifest text when it contains a newline or starts with <c>apiVersion:</c>,
    /// <c>kind:</c> or <c>{</c>; otherwise the path of a file (<c>~</c> is the home directory), resolved against
    /// <paramref name="baseDirectory"/>. <paramref name="parse"/> reads the text, named by its source.
    /// </summary>
    internal static T Load<T>(string fileOrText, string baseDirectory, Func<string, string, T> parse)
    {
        ArgumentNullException.ThrowIfNull(fileOrText);
        if (SpecSource.IsInlineText(fileOrText))
        {
            return parse(fileOrText, SpecSource.InlineTextTarget);
        }
        var (text, path) = SpecSource.ReadFile(fileOrText, baseDirectory);
        return parse(text, path);
    }

    /// <summary>Checks <c>kind</c> and <c>apiVersion</c> (errors) and the top-level fields (warnings) of a Velero manifest.</summary>
    internal static void CheckHeader(SpecReader reader, YamlMappingNode root, string kind)
    {
        var actualKind = reader.String(root, "kind", "kind");
        var apiVersion = reader.String(root, "apiVersion", "apiVersion");
        if (actualKind != kind)
        {
            throw reader.Invalid(SpecReader.Get(root, "kind") ?? root, "kind",
                actualKind is null ? $"is missing; a Velero {kind} manifest starts with apiVersion: {ApiVersion} and kind: {kind}" : $"is {actualKind}; only a Velero {kind} is read here");
        }
        if (apiVersion != ApiVersion)
        {
            throw reader.Invalid(SpecReader.Get(root, "apiVersion") ?? root, "apiVersion",
                apiVersion is null ? $"is missing; a Velero {kind} has apiVersion: {ApiVersion}" : $"is {apiVersion}; a Velero {kind} has apiVersion: {ApiVersion}");
        }
        reader.WarnUnknown(root, string.Empty, $"a {kind} manifest", TopFields);
    }

    /// <summary>metadata.name (null when absent or empty) and metadata.labels; a generateName is warned about with <paramref name="namedBy"/>.</summary>
    internal static (string? Name, IReadOnlyDictionary<string, string> Labels) Metadata(SpecReader reader, YamlMappingNode root, string namedBy)
    {
        if (reader.Mapping(root, "metadata", "metadata") is not { } metadata)
        {
            return (null, new Dictionary<string, string>());
        }
        var name = reader.String(metadata, "name", "metadata.name") is { Length: > 0 } n ? n : null;
        if (SpecReader.Get(metadata, "generateName") is { } generateName)
        {
            reader.Warn(generateName, $"metadata.generateName is ignored; {namedBy}.");
        }
        return (name, Labels(reader, metadata, "metadata.labels"));
    }

    internal static IReadOnlyDictionary<string, string> Labels(SpecReader reader, YamlMappingNode metadata, string path)
    {
        var labels = reader.StringMap(metadata, "labels", path);
        var node = SpecReader.Get(metadata, "labels");
        foreach (var (key, value) in labels)
        {
            LabelSelectorText.CheckKey(reader, node!, path, key);
            LabelSelectorText.CheckValue(reader, node!, $"{path}.{key}", value);
        }
        return labels;
    }

    internal static IReadOnlyList<string> OrSelectors(SpecReader reader, YamlMappingNode spec, string where)
    {
        var path = $"{where}.orLabelSelectors";
        var items = reader.Sequence(spec, "orLabelSelectors", path)?.Children ?? [];
        var selectors = new List<string>();
        var matchesAll = false;
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not YamlMappingNode selector)
            {
                throw reader.Invalid(items[i], $"{path}[{i}]", "must be a label selector (matchLabels, matchExpressions)");
            }
            if (LabelSelectorText.Format(reader, selector, $"{path}[{i}]") is { } text)
            {
                selectors.Add(text);
            }
            else if (!matchesAll)
            {
                // An empty selector matches every object, so the whole OR does.
                reader.Warn(selector, $"{path}[{i}] is empty and matches every object, so orLabelSelectors selects everything.");
                matchesAll = true;
            }
        }
        return matchesAll ? [] : selectors;
    }

    // Velero rejects a backup or restore whose excludes repeat an include.
    internal static void CheckDisjoint(SpecReader reader, YamlMappingNode spec, string where, string what, IReadOnlyList<string> included, IReadOnlyList<string> excluded)
    {
        var both = included.Intersect(excluded, StringComparer.Ordinal).FirstOrDefault();
        if (both is not null)
        {
            throw reader.Invalid(SpecReader.Get(spec, $"excluded{what}")!, $"{where}.excluded{what}", $"repeats '{both}' from included{what}; an item cannot be both included and excluded");
        }
    }

    // An ignored field set to false, null or nothing asks for nothing that is lost: no warning.
    internal static bool IsOff(YamlNode node) => node switch
    {
        YamlScalarNode scalar => SpecReader.TryBool(scalar, out var on) && !on,
        YamlSequenceNode { Children.Count: 0 } => true,
        YamlMappingNode { Children.Count: 0 } => true,
        _ => false,
    };
}
