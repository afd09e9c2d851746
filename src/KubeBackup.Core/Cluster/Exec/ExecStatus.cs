using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeBackup.Core.Cluster.Exec;

/// <summary>
/// Reads the Status the server writes on the exec error channel when the command ends: <c>Success</c>, or
/// <c>Failure</c> with reason <c>NonZeroExitCode</c> and the code as an <c>ExitCode</c> cause; any other failure
/// means the command did not run (no such container, executable not found, ...).
/// </summary>
internal static class ExecStatus
{
    /// <summary>The exit code, or null with the server's reason why the command did not run to an exit code.</summary>
    public static (int? ExitCode, string? Problem) Read(string statusJson)
    {
        if (string.IsNullOrWhiteSpace(statusJson))
        {
            return (null, "the exec stream ended without a status from the server");
        }

        JsonObject? status;
        try
        {
            status = JsonNode.Parse(statusJson) as JsonObject;
        }
        catch (JsonException)
        {
            status = null;
        }

        if (status is null)
        {
            return (null, "the server's exec status is not a JSON object");
        }

        var outcome = Text(status, "status");
        if (outcome == "Success")
        {
            return (0, null);
        }

        if (Text(status, "reason") == "NonZeroExitCode"
            && (status["details"]?["causes"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .FirstOrDefault(cause => Text(cause, "reason") == "ExitCode") is { } exitCause
            && int.TryParse(Text(exitCause, "message"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code))
        {
            return (code, null);
        }

        return (null, Text(status, "message") is { Length: > 0 } message ? message : $"the server reported {outcome ?? "an unknown status"}");
    }

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
