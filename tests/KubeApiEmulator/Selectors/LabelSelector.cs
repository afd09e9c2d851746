using KubeApiEmulator.Api;

namespace KubeApiEmulator.Selectors;

/// <summary>A parsed labelSelector query: requirements joined by AND, as apimachinery's labels.Parse accepts them.</summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static readonly LabelSelector Everything = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var r in _requirements)
            if (!r.Matches(labels))
                return false;
        return true;
    }

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return Everything;
        var requirements = new List<Requirement>();
        foreach (var clause in SplitTopLevel(text))
            requirements.Add(ParseRequirement(clause.Trim(), text));
        return new LabelSelector(requirements);
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(')
                depth++;
            else if (text[i] == ')')
                depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    private static Requirement ParseRequirement(string clause, string whole)
    {
        if (clause.Length == 0)
            throw Bad(whole, "found '', expected: identifier");
        if (clause[0] == '!')
            return new Requirement(ValidKey(clause[1..].Trim(), whole), Op.NotExists, []);
        foreach (var (token, op) in new[] { ("!=", Op.NotEquals), ("==", Op.Equals), ("=", Op.Equals) })
        {
            var at = clause.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
                return new Requirement(ValidKey(clause[..at].Trim(), whole), op, [clause[(at + token.Length)..].Trim()]);
        }
        foreach (var (token, op) in new[] { (" notin ", Op.NotIn), (" in ", Op.In) })
        {
            var at = clause.IndexOf(token, StringComparison.Ordinal);
            if (at <= 0)
                continue;
            var rest = clause[(at + token.Length)..].Trim();
            if (rest.Length < 2 || rest[0] != '(' || rest[^1] != ')')
                throw Bad(whole, "found '" + rest + "', expected: '('");
            var values = rest[1..^1].Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToArray();
            return new Requirement(ValidKey(clause[..at].Trim(), whole), op, values);
        }
        return new Requirement(ValidKey(clause, whole), Op.Exists, []);
    }

    private static string ValidKey(string key, string whole)
    {
        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '=' or '!' or ','))
            throw Bad(whole, $"invalid label key \"{key}\"");
        return key;
    }

    private static ApiException Bad(string whole, string why) =>
        ApiException.BadRequest($"unable to parse requirement: {why}");

    private enum Op
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        NotExists,
    }

    private sealed record Requirement(string Key, Op Op, string[] Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            return Op switch
            {
                Op.Equals => has && value == Values[0],
                Op.NotEquals => !has || value != Values[0],
                Op.In => has && Values.Contains(value),
                Op.NotIn => !has || !Values.Contains(value),
                Op.Exists => has,
                _ => !has,
            };
        }
    }
}
