using System.Globalization;
using System.Text;

namespace KubeBackup.Core.Cluster.Selectors;

/// <summary>One comma-separated term of a label selector: a key, an operator and its values (sorted, distinct).</summary>
internal sealed record LabelRequirement(string Key, LabelOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(Func<string, string?> lookup)
    {
        var value = lookup(Key);
        return Operator switch
        {
            LabelOperator.Equals or LabelOperator.In => value is not null && Values.Contains(value, StringComparer.Ordinal),

            // As in Kubernetes: an object without the key satisfies "key != v" and "key notin (...)".
            LabelOperator.NotEquals or LabelOperator.NotIn => value is null || !Values.Contains(value, StringComparer.Ordinal),
            LabelOperator.Exists => value is not null,
            LabelOperator.DoesNotExist => value is null,

            // A label that is not an integer never matches a numeric comparison.
            LabelOperator.GreaterThan => TryInteger(value, out var greater) && greater > long.Parse(Values[0], CultureInfo.InvariantCulture),
            LabelOperator.LessThan => TryInteger(value, out var less) && less < long.Parse(Values[0], CultureInfo.InvariantCulture),
            _ => false,
        };
    }

    /// <summary>The form apimachinery's <c>Requirement.String()</c> writes.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (Operator == LabelOperator.DoesNotExist)
        {
            text.Append('!');
        }

        text.Append(Key);
        switch (Operator)
        {
            case LabelOperator.Equals:
                return text.Append('=').Append(Values[0]).ToString();
            case LabelOperator.NotEquals:
                return text.Append("!=").Append(Values[0]).ToString();
            case LabelOperator.GreaterThan:
                return text.Append('>').Append(Values[0]).ToString();
            case LabelOperator.LessThan:
                return text.Append('<').Append(Values[0]).ToString();
            case LabelOperator.In:
                return text.Append(" in (").AppendJoin(',', Values).Append(')').ToString();
            case LabelOperator.NotIn:
                return text.Append(" notin (").AppendJoin(',', Values).Append(')').ToString();
            default:
                return text.ToString();
        }
    }

    private static bool TryInteger(string? value, out long number) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);
}
