using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KubeApiEmulator.Api;

namespace KubeApiEmulator.Semantics;

/// <summary>Label and annotation rules of apimachinery's ValidateObjectMeta, with its messages.</summary>
public static partial class MetadataValidation
{
    private const string NamePartMessage = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    private const string PrefixMessage = "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private const string LabelValueMessage = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    private const int AnnotationsLimit = 256 * 1024;

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex NamePart();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    public static IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errors = new List<FieldError>();
        var meta = obj["metadata"] as JsonObject;
        if (meta?["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                QualifiedName(errors, "metadata.labels", key);
                var text = StringValue("labels", value);
                if (text.Length > 63)
                    errors.Add(FieldError.Invalid("metadata.labels", text, "must be no more than 63 characters"));
                if (!LabelValue().IsMatch(text))
                    errors.Add(FieldError.Invalid("metadata.labels", text, LabelValueMessage));
            }
        }
        if (meta?["annotations"] is JsonObject annotations)
        {
            var size = 0;
            foreach (var (key, value) in annotations)
            {
                QualifiedName(errors, "metadata.annotations", key.ToLowerInvariant());
                size += key.Length + StringValue("annotations", value).Length;
            }
            if (size > AnnotationsLimit)
                errors.Add(new FieldError("metadata.annotations", "FieldValueTooLong", $"Too long: must have at most {AnnotationsLimit} bytes"));
        }
        return errors;
    }

    private static string StringValue(string field, JsonNode? value)
    {
        if (value is null)
            return "";
        if (value is JsonValue v && v.TryGetValue<string>(out var s))
            return s;
        throw ApiException.BadRequest(
            $"json: cannot unmarshal {value.GetValueKind().ToString().ToLowerInvariant()} into Go struct field ObjectMeta.metadata.{field} of type string");
    }

    private static void QualifiedName(List<FieldError> errors, string field, string key)
    {
        var parts = key.Split('/');
        string name;
        if (parts.Length == 1)
            name = parts[0];
        else if (parts.Length == 2)
        {
            var prefix = parts[0];
            name = parts[1];
            if (prefix.Length == 0)
                errors.Add(FieldError.Invalid(field, key, "prefix part must be non-empty"));
            else if (prefix.Length > 253)
                errors.Add(FieldError.Invalid(field, key, "prefix part must be no more than 253 characters"));
            else if (!Subdomain().IsMatch(prefix))
                errors.Add(FieldError.Invalid(field, key, PrefixMessage));
        }
        else
        {
            errors.Add(FieldError.Invalid(field, key, "a qualified name " + NamePartMessage["name part ".Length..]
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"));
            return;
        }
        if (name.Length == 0)
            errors.Add(FieldError.Invalid(field, key, "name part must be non-empty"));
        else if (name.Length > 63)
            errors.Add(FieldError.Invalid(field, key, "name part must be no more than 63 characters"));
        else if (!NamePart().IsMatch(name))
            errors.Add(FieldError.Invalid(field, key, NamePartMessage));
    }
}
