using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace KubeApiEmulator.Api;

/// <summary>Writes JSON responses straight to the response pipe.</summary>
public static class Responses
{
    public const string Json = "application/json";

    public static Task WriteBytes(HttpContext ctx, int status, byte[] body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = Json;
        ctx.Response.ContentLength = body.Length;
        return ctx.Response.Body.WriteAsync(body).AsTask();
    }

    public static Task WriteNode(HttpContext ctx, int status, JsonNode node) =>
        WriteBytes(ctx, status, Presenter.Serialize(node));

    public static Task WriteError(HttpContext ctx, ApiException e) => WriteNode(ctx, e.Code, e.ToStatus());

    public static JsonObject Success(Resources.ResourceDefinition def, string name, string uid)
    {
        var details = new JsonObject { ["name"] = name };
        if (def.Group.Length > 0)
            details["group"] = def.Group;
        details["kind"] = def.Plural;
        details["uid"] = uid;
        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        };
    }

    /// <summary>A list written item by item from stored bytes, never re-serializing objects.</summary>
    public static async Task WriteList(HttpContext ctx, Resources.ResourceDefinition def, ListResult result)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = Json;
        var pipe = ctx.Response.BodyWriter;
        using (var w = new Utf8JsonWriter(pipe, new JsonWriterOptions { SkipValidation = true }))
        {
            w.WriteStartObject();
            w.WriteString("kind", def.ListKind);
            w.WriteString("apiVersion", def.GroupVersion);
            w.WriteStartObject("metadata");
            w.WriteString("resourceVersion", result.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (result.Continue is not null)
                w.WriteString("continue", result.Continue);
            if (result.RemainingItemCount is { } remaining)
                w.WriteNumber("remainingItemCount", remaining);
            w.WriteEndObject();
            w.WriteStartArray("items");
            var written = 0;
            foreach (var item in result.Items)
            {
                w.WriteRawValue(Presenter.Bytes(def, item), skipInputValidation: true);
                if (++written % 256 == 0)
                {
                    w.Flush();
                    await pipe.FlushAsync(ctx.RequestAborted);
                }
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        await pipe.FlushAsync(ctx.RequestAborted);
    }
}
