using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace KubeApiEmulator.Faults;

/// <summary>Writes the Status answer of an injected error as the API server's error responder does.</summary>
internal static class FaultResponse
{
    public static async Task WriteAsync(HttpContext context, FaultRule rule)
    {
        var (code, reason, message) = rule.Kind switch
        {
            FaultKind.TooManyRequests => (429, "TooManyRequests", "Too many requests, please try again later."),
            FaultKind.ServiceUnavailable => (503, "ServiceUnavailable", "The server is currently unable to handle the request"),
            _ => (500, "InternalError", "Internal error occurred: injected fault"),
        };

        // The API server sends Retry-After for 429 and 5xx Status answers that carry retryAfterSeconds.
        var retryAfter = rule.Kind is FaultKind.TooManyRequests or FaultKind.ServiceUnavailable ? rule.RetryAfterSeconds : 0;
        var response = context.Response;
        response.StatusCode = code;
        response.ContentType = "application/json";
        if (retryAfter > 0)
        {
            response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }

        await response.Body.WriteAsync(StatusJson(code, reason, message, retryAfter, rule.Kind == FaultKind.InternalError), context.RequestAborted).ConfigureAwait(false);
    }

    private static byte[] StatusJson(int code, string reason, string message, int retryAfter, bool internalError)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("kind", "Status");
            json.WriteString("apiVersion", "v1");
            json.WriteStartObject("metadata");
            json.WriteEndObject();
            json.WriteString("status", "Failure");
            json.WriteString("message", message);
            json.WriteString("reason", reason);
            if (retryAfter > 0 || internalError)
            {
                json.WriteStartObject("details");
                if (internalError)
                {
                    // NewInternalError repeats the bare error as the one cause.
                    json.WriteStartArray("causes");
                    json.WriteStartObject();
                    json.WriteString("message", "injected fault");
                    json.WriteEndObject();
                    json.WriteEndArray();
                }

                if (retryAfter > 0)
                {
                    json.WriteNumber("retryAfterSeconds", retryAfter);
                }

                json.WriteEndObject();
            }

            json.WriteNumber("code", code);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
