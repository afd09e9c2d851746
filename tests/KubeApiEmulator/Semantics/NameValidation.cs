using System.Text.RegularExpressions;
using KubeApiEmulator.Api;
using KubeApiEmulator.Resources;

namespace KubeApiEmulator.Semantics;

/// <summary>The object name rules of apimachinery's validation package, with their exact messages.</summary>
public static partial class NameValidation
{
    private const string SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private const string LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    private const string Dns1035Message = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035();

    public static IReadOnlyList<FieldError> Validate(ResourceDefinition def, string name)
    {
        var errors = new List<FieldError>();
        const string field = "metadata.name";
        var rule = def.Plural == "services" && def.Group.Length == 0 ? "dns1035" : def.NameRule.ToString();
        switch (rule)
        {
            case nameof(NameRule.PathSegment):
                if (name is "." or "..")
                    errors.Add(FieldError.Invalid(field, name, $"may not be '{name}'"));
                else if (name.Contains('/'))
                    errors.Add(FieldError.Invalid(field, name, "may not contain '/'"));
                else if (name.Contains('%'))
                    errors.Add(FieldError.Invalid(field, name, "may not contain '%'"));
                break;
            case nameof(NameRule.Label):
                if (name.Length > 63)
                    errors.Add(FieldError.Invalid(field, name, "must be no more than 63 characters"));
                if (!Label().IsMatch(name))
                    errors.Add(FieldError.Invalid(field, name, LabelMessage));
                break;
            case "dns1035":
                if (name.Length > 63)
                    errors.Add(FieldError.Invalid(field, name, "must be no more than 63 characters"));
                if (!Dns1035().IsMatch(name))
                    errors.Add(FieldError.Invalid(field, name, Dns1035Message));
                break;
            default:
                if (name.Length > 253)
                    errors.Add(FieldError.Invalid(field, name, "must be no more than 253 characters"));
                if (!Subdomain().IsMatch(name))
                    errors.Add(FieldError.Invalid(field, name, SubdomainMessage));
                break;
        }
        return errors;
    }

    public static bool IsValidNamespaceName(string name) => name.Length <= 63 && Label().IsMatch(name);
}
