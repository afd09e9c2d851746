using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using KubeApiEmulator.Resources;
using KubeApiEmulator.Selectors;
using KubeApiEmulator.Storage;
using KubeApiEmulator.Tables;
using Microsoft.AspNetCore.Http;

namespace KubeApiEmulator.Api;

/// <summary>
/// watch=true: a chunked stream of {"type","object"} lines. Without a resourceVersion (or "0") the current
/// objects come first as ADDED; with one, the events after it are replayed, or a 410 ERROR event when they
/// have been compacted away. The stream ends after timeoutSeconds (default 30 minutes), when the client goes,
/// or when the server stops.
/// </summary>
public static class WatchStreamer
{
    public static async Task StreamAsync(HttpContext ctx, ObjectService service, ResourceDefinition def, string? ns, string? name, TimeProvider time,
        CancellationToken stopping)
    {
        var query = ctx.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fieldSelector = query["fieldSelector"].FirstOrDefault();
        if (name is not null)
            fieldSelector = string.IsNullOrEmpty(fieldSelector) ? "metadata.name=" + name : fieldSelector + ",metadata.name=" + name;
        var fields = FieldSelector.Parse(fieldSelector, def);
        var table = TableWriter.Wanted(ctx.Request.Headers.Accept);
        var timeout = int.TryParse(query["timeoutSeconds"], out var t) && t > 0 ? TimeSpan.FromSeconds(t) : TimeSpan.FromMinutes(30);
        var rvText = query["resourceVersion"].FirstOrDefault();
        var channel = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
        var key = def.StorageKey;
        void Listener(WatchEvent e)
        {
            if (e.StorageKey == key)
                channel.Writer.TryWrite(e);
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = Responses.Json;
        var initial = new List<StoredObject>();
        IDisposable subscription;
        if (string.IsNullOrEmpty(rvText) || rvText == "0")
        {
            var (set, revision) = service.Store.Snapshot(key);
            initial.AddRange(set);
            service.Store.Subscribe(Listener, revision, out subscription);
        }
        else if (!long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
        {
            throw ApiException.BadRequest($"invalid resource version: {rvText}");
        }
        else if (!service.Store.Subscribe(Listener, from, out subscription))
        {
            var gone = ApiException.Expired($"too old resource version: {from} ({service.Store.CurrentRevision})").ToStatus();
            await WriteEventAsync(ctx, "ERROR", gone);
            return;
        }
        using (subscription)
        {
            foreach (var o in initial)
                if (Matches(o, ns, labels, fields))
                    await WriteEventAsync(ctx, "ADDED", Render(def, o, table, time));
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping);
            deadline.CancelAfter(timeout);
            try
            {
                while (await channel.Reader.WaitToReadAsync(deadline.Token))
                {
                    while (channel.Reader.TryRead(out var e))
                    {
                        if (Translate(e, ns, labels, fields) is { } type)
                            await WriteEventAsync(ctx, type, Render(def, e.Object, table, time));
                    }
                    await ctx.Response.Body.FlushAsync(deadline.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>
    /// The event a filtered watch reports: an object that stops matching is DELETED for it, one that starts
    /// matching is ADDED, as the apiserver's watch cache filters.
    /// </summary>
    private static string? Translate(WatchEvent e, string? ns, LabelSelector labels, FieldSelector fields)
    {
        var now = Matches(e.Object, ns, labels, fields);
        if (e.Type != WatchEventType.Modified || e.Previous is null)
            return now ? e.TypeName : null;
        var before = Matches(e.Previous, ns, labels, fields);
        return (before, now) switch
        {
            (true, true) => "MODIFIED",
            (true, false) => "DELETED",
            (false, true) => "ADDED",
            _ => null,
        };
    }

    private static bool Matches(StoredObject o, string? ns, LabelSelector labels, FieldSelector fields) =>
        (ns is null || o.Namespace == ns) && labels.Matches(o.Labels) && fields.Matches(o);

    private static JsonNode Render(ResourceDefinition def, StoredObject o, bool table, TimeProvider time) =>
        table
            ? TableWriter.Build(def, [Presenter.Bytes(def, o)], o.ResourceVersion, null, "Object", time.GetUtcNow())
            : JsonNode.Parse(Presenter.Bytes(def, o))!;

    private static async Task WriteEventAsync(HttpContext ctx, string type, JsonNode obj)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = obj };
        await ctx.Response.Body.WriteAsync(Presenter.Serialize(line), ctx.RequestAborted);
        await ctx.Response.Body.WriteAsync("\n"u8.ToArray(), ctx.RequestAborted);
    }
}
