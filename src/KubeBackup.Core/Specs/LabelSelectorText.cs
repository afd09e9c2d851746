using KubeBackup.Core.Cluster.Selectors;
using YamlDotNet.RepresentationModel;

namespace KubeBackup.Core.Specs;

/// <summary>
/// A Kubernetes <c>LabelSelector</c> object (<c>matchLabels</c>, <c>matchExpressions</c>) as the selector string kubectl
/// takes (<c>app=mysql,tier in (a,b),!legacy</c>). Keys and values are validated as the API server does, which also
/// guarantees that none can smuggle a comma or parenthesis into the string.
/// </summary>
internal static class LabelSelectorText
{
    private static readonly string[] Fields = ["matchLabels", "matchExpressions"];
    private static readonly string[] ExpressionFields = ["key", "operator", "values"];

    /// <summary>The selector string; null when the selector is absent or empty (which selects everything).</summary>
    public static string? Read(SpecReader reader, YamlMappingNode map, string key, string path) =>
        reader.Mapping(map, key, path) is { } selector ? Format(reader, selector, path) : null;

    /// <summary>The selector string of one selector mapping; null when it is empty.</summary>
    public static string? Format(SpecReader reader, YamlMappingNode selector, string path)
    {
        reader.WarnUnknown(selector, path, "a label selector", Fields);
        var requirements = new List<string>();
        var matchLabels = reader.Mapping(selector, "matchLabels", $"{path}.matchLabels")?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>();
        foreach (var (keyNode, valueNode) in matchLabels)
        {
            var labelKey = reader.Text(keyNode, $"{path}.matchLabels");
            var value = SpecReader.IsNull(valueNode) ? string.Empty : reader.Text(valueNode, $"{path}.matchLabels.{labelKey}");
            CheckKey(reader, keyNode, $"{path}.matchLabels", labelKey);
            CheckValue(reader, valueNode, $"{path}.matchLabels.{labelKey}", value);
            requirements.Add($"{labelKey}={value}");
        }
        var expressions = reader.Sequence(selector, "matchExpressions", $"{path}.matchExpressions")?.Children ?? [];
        for (var i = 0; i < expressions.Count; i++)
        {
            requirements.Add(Expression(reader, expressions[i], $"{path}.matchExpressions[{i}]"));
        }
        return requirements.Count == 0 ? null : string.Join(',', requirements);
    }

    private static string Expression(SpecReader reader, YamlNode node, string path)
    {
        if (node is not YamlMappingNode expression)
        {
            throw reader.Invalid(node, path, "must be a mapping with key, operator and values");
        }
        reader.WarnUnknown(expression, path, "a label selector requirement", ExpressionFields);
        var key = reader.String(expression, "key", $"{path}.key") ?? throw reader.Invalid(expression, path, "has no key");
        CheckKey(reader, SpecReader.Get(expression, "key")!, $"{path}.key", key);
        var op = reader.String(expression, "operator", $"{path}.operator") ?? throw reader.Invalid(expression, path, "has no operator; use In, NotIn, Exists or DoesNotExist");
        var values = reader.StringList(expression, "values", $"{path}.values");
        foreach (var value in values)
        {
            CheckValue(reader, SpecReader.Get(expression, "values")!, $"{path}.values", value);
        }
        var operatorNode = SpecReader.Get(expression, "operator")!;
        switch (op)
        {
            case "In" or "NotIn":
                if (values.Count == 0)
                {
                    throw reader.Invalid(expression, path, $"uses operator {op}, which needs at least one value in values");
                }
                return $"{key} {(op == "In" ? "in" : "notin")} ({string.Join(',', values)})";
            case "Exists" or "DoesNotExist":
                if (values.Count > 0)
                {
                    throw reader.Invalid(expression, path, $"uses operator {op}, which takes no values; remove values");
                }
                return op == "Exists" ? key : $"!{key}";
            default:
                throw reader.Invalid(operatorNode, $"{path}.operator", $"is '{op}'; use In, NotIn, Exists or DoesNotExist");
        }
    }

    // One set of label rules for the whole engine: the selector parser's.
    internal static void CheckKey(SpecReader reader, YamlNode node, string path, string key)
    {
        if (LabelSyntax.KeyProblem(key) is { } problem)
        {
            throw reader.Invalid(node, path, $"has an invalid label key: {problem}");
        }
    }

    internal static void CheckValue(SpecReader reader, YamlNode node, string path, string value)
    {
        if (LabelSyntax.ValueProblem(value) is { } problem)
        {
            throw reader.Invalid(node, path, $"has an invalid label value: {problem}");
        }
    }
}
