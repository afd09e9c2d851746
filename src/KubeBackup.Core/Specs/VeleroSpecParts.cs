using YamlDotNet.RepresentationModel;

namespace KubeBackup.Core.Specs;

/// <summary>Fields Velero's Backup and Restore specs share, read and checked the same way for both.</summary>
internal static class VeleroSpecParts
{
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
