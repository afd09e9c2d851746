using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace KubeApiEmulator.Exec;

/// <summary>
/// A metav1.Status as the kubelet writes it at the end of an exec, and as the API server answers a refused request.
/// Fields are written in Go's order and empty ones are left out, as encoding/json does with omitempty.
/// </summary>
internal sealed record ExecStatus(bool Success, string Message, string Reason, int Code, IReadOnlyList<(string? Reason, string Message)> Causes)
{
    public static ExecStatus Succeeded { get; } = new(true, "", "", 0, []);

    /// <summary>What containerd reports for a process that exited non-zero; clients read the code from the cause.</summary>
    public static ExecStatus NonZeroExit(IReadOnlyList<string> command, int exitCode)
    {
        var code = exitCode.ToString(CultureInfo.InvariantCulture);
        var message = $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {code}";
        return new(false, message, "NonZeroExitCode", 0, [("ExitCode", code)]);
    }

    /// <summary>The kubelet wraps any other exec failure as an internal error.</summary>
    public static ExecStatus InternalError(string error) =>
        new(false, $"Internal error occurred: error executing command in container: {error}", "InternalError", 500,
            [(null, $"error executing command in container: {error}")]);

    /// <summary>
    /// The status as the API server's v5 stream translator passes it on: client-go has already turned the kubelet's
    /// status into an error, which the translator wraps again (an exit code as a new NonZeroExitCode status, anything
    /// else as an internal error around the kubelet's message).
    /// </summary>
    public ExecStatus ThroughStreamTranslator()
    {
        if (Success)
        {
            return this;
        }

        var exitCode = Reason == "NonZeroExitCode" ? Causes.FirstOrDefault(cause => cause.Reason == "ExitCode").Message : null;
        if (exitCode is null)
        {
            return new(false, $"Internal error occurred: {Message}", "InternalError", 500, [(null, Message)]);
        }

        // client-go reads the code as an unsigned byte, as a process exit status is.
        if (!byte.TryParse(exitCode, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            var error = $"error stream protocol error: invalid exit code value \"{exitCode}\"";
            return new(false, $"Internal error occurred: {error}", "InternalError", 500, [(null, error)]);
        }

        return new(false, $"command terminated with non-zero exit code: command terminated with exit code {exitCode}",
            "NonZeroExitCode", 0, [("ExitCode", exitCode)]);
    }

    public static ExecStatus BadRequest(string message) => new(false, message, "BadRequest", 400, []);

    public static ExecStatus Forbidden(string message) => new(false, message, "Forbidden", 403, []);

    /// <summary>The JSON of channel 3 (v4 and v5): no kind or apiVersion, as the kubelet marshals it.</summary>
    public byte[] ToChannelJson() => ToJson(withTypeMeta: false);

    /// <summary>The Status body of an HTTP error response.</summary>
    public byte[] ToResponseJson() => ToJson(withTypeMeta: true);

    /// <summary>What channel.k8s.io (v1 to v3) sends on channel 3: the bare message, nothing on success.</summary>
    public byte[] ToChannelText() => Success ? [] : Encoding.UTF8.GetBytes(Message);

    // Quotes come out as \" rather than \u0022, as Go writes them.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private byte[] ToJson(bool withTypeMeta)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            if (withTypeMeta)
            {
                json.WriteString("kind", "Status");
                json.WriteString("apiVersion", "v1");
            }

            json.WriteStartObject("metadata");
            json.WriteEndObject();
            json.WriteString("status", Success ? "Success" : "Failure");
            WriteIfSet(json, "message", Message);
            WriteIfSet(json, "reason", Reason);
            if (Causes.Count > 0)
            {
                json.WriteStartObject("details");
                json.WriteStartArray("causes");
                foreach (var (reason, message) in Causes)
                {
                    json.WriteStartObject();
                    WriteIfSet(json, "reason", reason);
                    WriteIfSet(json, "message", message);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            if (Code != 0)
            {
                json.WriteNumber("code", Code);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json.WriteString(name, value);
        }
    }
}
