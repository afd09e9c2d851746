using KubeBackup.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeBackup.Core.Specs;

/// <summary>
/// Typed reads from a YAML manifest, the way the Kubernetes API server would decode it: a wrong shape is an error that
/// names the field path and its line, a field the type does not have is a warning. Shared by every Velero kind.
/// </summary>
internal sealed class SpecReader(string source, List<string> warnings)
{
    public string Source { get; } = source;

    public List<string> Warnings { get; } = warnings;

    /// <summary>YAML's null: an absent value, <c>~</c> or <c>null</c> written plainly (a quoted "null" is a string).</summary>
    public static bool IsNull(YamlNode? node) =>
        node is null
        || node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    public static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) && !IsNull(value) ? value : null;

    public static string Where(YamlNode node) => $"line {node.Start.Line}, column {node.Start.Column}";

    public KbException Invalid(YamlNode node, string path, string reason) =>
        new(ErrorIds.SpecInvalid, KbErrorCategory.InvalidArgument, Source, $"{Source}, {Where(node)}: {path} {reason}.");

    public void Warn(YamlNode node, string message) => Warnings.Add($"{Source}, {Where(node)}: {message}");

    public string? String(YamlMappingNode map, string key, string path) =>
        Get(map, key) is { } node ? Text(node, path) : null;

    public string Text(YamlNode node, string path) => node switch
    {
        YamlScalarNode scalar => scalar.Value ?? string.Empty,
        YamlSequenceNode => throw Invalid(node, path, "must be a string, not a list"),
        _ => throw Invalid(node, path, "must be a string, not a mapping"),
    };

    /// <summary>A list of strings; null or absent is empty, as Velero's nullable lists.</summary>
    public IReadOnlyList<string> StringList(YamlMappingNode map, string key, string path)
    {
        var node = Get(map, key);
        if (node is null)
        {
            return [];
        }
        if (node is not YamlSequenceNode sequence)
        {
            throw Invalid(node, path, node is YamlScalarNode scalar
                ? $"must be a list, not the string '{scalar.Value}'; write it as [{scalar.Value}] or as a '- {scalar.Value}' item"
                : "must be a list of strings, not a mapping");
        }
        return sequence.Children.Select((item, i) => IsNull(item)
            ? throw Invalid(item, $"{path}[{i}]", "is empty; remove the item or give it a value")
            : Text(item, $"{path}[{i}]")).ToList();
    }

    /// <summary>
    /// A bool field, unquoted (a quoted "true" is a string, which the API server rejects). kubectl reads manifests as
    /// YAML 1.1, so yes/no/on/off (and y/n) are bools there too.
    /// </summary>
    public bool? Bool(YamlMappingNode map, string key, string path)
    {
        var node = Get(map, key);
        if (node is null)
        {
            return null;
        }
        if (TryBool(node, out var value))
        {
            return value;
        }
        var shown = node is YamlScalarNode s ? $"'{s.Value}'" : node is YamlSequenceNode ? "a list" : "a mapping";
        throw Invalid(node, path, $"must be true, false or null (unquoted), not {shown}");
    }

    public static bool TryBool(YamlNode node, out bool value)
    {
        (var known, value) = node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: { } text } ? text switch
        {
            "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y" => (true, true),
            "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "n" or "N" => (true, false),
            _ => (false, false),
        } : (false, false);
        return known;
    }

    public YamlMappingNode? Mapping(YamlMappingNode map, string key, string path)
    {
        var node = Get(map, key);
        return node switch
        {
            null => null,
            YamlMappingNode mapping => mapping,
            YamlSequenceNode => throw Invalid(node, path, "must be a mapping (key: value), not a list"),
            _ => throw Invalid(node, path, $"must be a mapping (key: value), not the string '{((YamlScalarNode)node).Value}'"),
        };
    }

    public YamlSequenceNode? Sequence(YamlMappingNode map, string key, string path)
    {
        var node = Get(map, key);
        return node switch
        {
            null => null,
            YamlSequenceNode sequence => sequence,
            YamlMappingNode => throw Invalid(node, path, "must be a list, not a mapping"),
            _ => throw Invalid(node, path, $"must be a list, not the string '{((YamlScalarNode)node).Value}'"),
        };
    }

    /// <summary>A map of strings to strings (labels, matchLabels).</summary>
    public IReadOnlyDictionary<string, string> StringMap(YamlMappingNode map, string key, string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Mapping(map, key, path) is not { } mapping)
        {
            return result;
        }
        foreach (var (k, v) in mapping.Children)
        {
            var name = Text(k, path);
            result[name] = IsNull(v) ? string.Empty : Text(v, $"{path}.{name}");
        }
        return result;
    }

    /// <summary>
    /// Warns about every key of <paramref name="map"/> that is not in <paramref name="known"/>, suggesting the closest
    /// known name. Velero fields KubeBackup knows but does not implement are reported by the caller, not here.
    /// </summary>
    public void WarnUnknown(YamlMappingNode map, string path, string aNoun, IReadOnlyCollection<string> known)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = key is YamlScalarNode { Value: { } value } ? value : key.ToString();
            if (known.Contains(name))
            {
                continue;
            }
            var suggestion = FieldNames.Closest(name, known);
            Warn(key, $"{(path.Length == 0 ? name : $"{path}.{name}")} is not {aNoun} field and was ignored" + (suggestion is null ? "." : $"; did you mean {suggestion}?"));
        }
    }
}
