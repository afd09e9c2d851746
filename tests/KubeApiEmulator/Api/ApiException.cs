using System.Text.Json.Nodes;
using KubeApiEmulator.Resources;

namespace KubeApiEmulator.Api;

/// <summary>A failed request, carried to the edge and written as a metav1 Status exactly like the real server.</summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, JsonObject? details = null) : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }
    public string Reason { get; }
    public JsonObject? Details { get; }

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
        };
        if (Reason.Length > 0)
            status["reason"] = Reason;
        if (Details is not null)
            status["details"] = Details.DeepClone();
        status["code"] = Code;
        return status;
    }

    private static JsonObject NameDetails(ResourceDefinition def, string name)
    {
        var d = new JsonObject { ["name"] = name };
        if (def.Group.Length > 0)
            d["group"] = def.Group;
        d["kind"] = def.Plural;
        return d;
    }

    public static ApiException NotFound(ResourceDefinition def, string name) =>
        new(404, "NotFound", $"{def.QualifiedResource} \"{name}\" not found", NameDetails(def, name));

    public static ApiException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", new JsonObject { ["name"] = ns, ["kind"] = "namespaces" });

    public static ApiException AlreadyExists(ResourceDefinition def, string name) =>
        new(409, "AlreadyExists", $"{def.QualifiedResource} \"{name}\" already exists", NameDetails(def, name));

    public static ApiException Conflict(ResourceDefinition def, string name, string why) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {def.QualifiedResource} \"{name}\": {why}", NameDetails(def, name));

    public static ApiException StaleUpdate(ResourceDefinition def, string name) =>
        Conflict(def, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException MethodNotAllowed(string message = "the server does not allow this method on the requested resource") =>
        new(405, "MethodNotAllowed", message, new JsonObject());

    public static ApiException UnsupportedMediaType(string contentType, IEnumerable<string> accepted) =>
        new(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}");

    public static ApiException Internal(string message) => new(500, "", message);

    public static ApiException Expired(string message) => new(410, "Expired", message);

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static ApiException NamespaceTerminating(ResourceDefinition def, string name, string ns)
    {
        var details = NameDetails(def, name);
        details["causes"] = new JsonArray(new JsonObject
        {
            ["reason"] = "NamespaceTerminating",
            ["message"] = $"namespace {ns} is being terminated",
            ["field"] = "metadata.namespace",
        });
        return new ApiException(403, "Forbidden",
            $"{def.QualifiedResource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated",
            details);
    }

    /// <summary>422 Invalid with field causes, worded as apimachinery's field.ErrorList.</summary>
    public static ApiException Invalid(ResourceDefinition def, string name, IReadOnlyList<FieldError> errors)
    {
        var causes = new JsonArray();
        foreach (var e in errors)
            causes.Add(new JsonObject { ["reason"] = e.Reason, ["message"] = e.Detail, ["field"] = e.Field });
        var details = new JsonObject { ["name"] = name };
        if (def.Group.Length > 0)
            details["group"] = def.Group;
        details["kind"] = def.Kind;
        details["causes"] = causes;
        var summary = errors.Count == 1
            ? errors[0].ToString()
            : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        var qualifiedKind = def.Group.Length == 0 ? def.Kind : def.Kind + "." + def.Group;
        return new ApiException(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {summary}", details);
    }
}

/// <summary>One field.Error: "field: Invalid value: \"x\": detail".</summary>
public sealed record FieldError(string Field, string Reason, string Detail)
{
    public static FieldError Invalid(string field, string value, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: \"{value}\": {detail}");

    public static FieldError Required(string field, string detail) =>
        new(field, "FieldValueRequired", "Required value" + (detail.Length > 0 ? ": " + detail : ""));

    public static FieldError Immutable(string field, string value) =>
        new(field, "FieldValueInvalid", $"Invalid value: {value}: field is immutable");

    public static FieldError Duplicate(string field, string value) =>
        new(field, "FieldValueDuplicate", $"Duplicate value: {value}");

    public override string ToString() => $"{Field}: {Detail}";
}
