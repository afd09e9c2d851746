using System.Text.Json;
using KubeApiEmulator.Api;
using KubeApiEmulator.Resources;
using KubeApiEmulator.Storage;
using KubeApiEmulator.Tables;

namespace KubeApiEmulator.Selectors;

/// <summary>A parsed fieldSelector: metadata.name and metadata.namespace for every kind, plus the kind's own fields.</summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Field, bool Equal, string Value)> _terms;

    private FieldSelector(IReadOnlyList<(string, bool, string)> terms) => _terms = terms;

    public static readonly FieldSelector Everything = new([]);

    public bool IsEmpty => _terms.Count == 0;

    /// <summary>The single metadata.name value asked for, which lets a list skip the scan.</summary>
    public string? ExactName => _terms.FirstOrDefault(t => t.Field == "metadata.name" && t.Equal).Value;

    public bool NeedsObject => _terms.Any(t => t.Field is not ("metadata.name" or "metadata.namespace"));

    public static FieldSelector Parse(string? text, ResourceDefinition def)
    {
        if (string.IsNullOrWhiteSpace(text))
            return Everything;
        var terms = new List<(string, bool, string)>();
        foreach (var raw in text.Split(','))
        {
            var clause = raw.Trim();
            if (clause.Length == 0)
                continue;
            string field, value;
            bool equal;
            int at;
            if ((at = clause.IndexOf("!=", StringComparison.Ordinal)) > 0)
                (field, equal, value) = (clause[..at], false, clause[(at + 2)..]);
            else if ((at = clause.IndexOf("==", StringComparison.Ordinal)) > 0)
                (field, equal, value) = (clause[..at], true, clause[(at + 2)..]);
            else if ((at = clause.IndexOf('=')) > 0)
                (field, equal, value) = (clause[..at], true, clause[(at + 1)..]);
            else
                throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{clause}'");
            field = field.Trim();
            if (field is not ("metadata.name" or "metadata.namespace") && !def.SelectableFields.Contains(field))
                throw ApiException.BadRequest($"field label not supported: {field}");
            terms.Add((field, equal, value.Trim()));
        }
        return new FieldSelector(terms);
    }

    public bool Matches(StoredObject obj)
    {
        if (IsEmpty)
            return true;
        JsonDocument? doc = null;
        try
        {
            foreach (var (field, equal, value) in _terms)
            {
                string actual;
                if (field == "metadata.name")
                    actual = obj.Name;
                else if (field == "metadata.namespace")
                    actual = obj.Namespace;
                else
                {
                    doc ??= obj.ToDocument();
                    actual = JsonPaths.Text(doc.RootElement, field);
                }
                if ((actual == value) != equal)
                    return false;
            }
            return true;
        }
        finally
        {
            doc?.Dispose();
        }
    }
}
