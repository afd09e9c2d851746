using System.Text.RegularExpressions;
using KubeBackup.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeBackup.Core.Specs;

/// <summary>The YAML documents of a Velero manifest, with YAML errors given as line and column in words.</summary>
internal static partial class SpecDocument
{
    // "(Line: 3, Col: 5, Idx: 40) - (Line: 3, Col: 6, Idx: 41): " — the position is said separately, in words.
    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", RegexOptions.CultureInvariant)]
    private static partial Regex YamlPosition();

    /// <summary>The root mapping of the single document in <paramref name="yaml"/>; <paramref name="kind"/> names the manifest wanted.</summary>
    public static YamlMappingNode Single(string yaml, string source, string kind)
    {
        var documents = Load(yaml, source);
        if (documents.Count != 1)
        {
            throw new KbException(ErrorIds.SpecInvalid, KbErrorCategory.InvalidArgument, source, documents.Count == 0
                ? $"{source} holds no YAML document; give one Velero {kind} manifest."
                : $"{source} holds {documents.Count} YAML documents; give exactly one Velero {kind} manifest.");
        }
        return Mapping(documents[0], source);
    }

    /// <summary>The root mappings of every document in <paramref name="yaml"/> (<c>---</c> separated), at least one.</summary>
    public static IReadOnlyList<YamlMappingNode> All(string yaml, string source, string kind)
    {
        var documents = Load(yaml, source);
        if (documents.Count == 0)
        {
            throw new KbException(ErrorIds.SpecInvalid, KbErrorCategory.InvalidArgument, source,
                $"{source} holds no YAML document; give one or more Velero {kind} manifests.");
        }
        return documents.Select(d => Mapping(d, source)).ToList();
    }

    private static YamlMappingNode Mapping(YamlDocument document, string source) =>
        document.RootNode as YamlMappingNode
            ?? throw new KbException(ErrorIds.SpecInvalid, KbErrorCategory.InvalidArgument, source,
                $"{source}, {SpecReader.Where(document.RootNode)}: the document must be a mapping (apiVersion, kind, metadata, spec), not {(document.RootNode is YamlSequenceNode ? "a list" : "a string")}.");

    private static List<YamlDocument> Load(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            var reason = YamlPosition().Replace(e.Message.Split('\n')[0].Trim(), string.Empty);
            var (line, column) = (e.Start.Line, e.Start.Column);
            // YamlDotNet places tab errors at the start of the enclosing mapping; the tab itself is what to show.
            if (reason.Contains("tab", StringComparison.OrdinalIgnoreCase) && FirstTabIndentedLine(yaml) is { } tabLine)
            {
                (line, column) = (tabLine, 1);
            }
            throw new KbException(ErrorIds.SpecYamlInvalid, KbErrorCategory.InvalidArgument, source,
                $"{source} is not valid YAML: line {line}, column {column}: {reason}", e);
        }
        return stream.Documents.Where(d => !SpecReader.IsNull(d.RootNode)).ToList();
    }

    private static int? FirstTabIndentedLine(string yaml)
    {
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i][..(lines[i].Length - lines[i].TrimStart().Length)];
            if (indent.Contains('\t'))
            {
                return i + 1;
            }
        }
        return null;
    }
}
