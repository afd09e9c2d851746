using System.Text.Json;
using System.Text.Json.Nodes;
using KubeApiEmulator.Hosting;
using KubeApiEmulator.Manifests;
using KubeApiEmulator.Resources;
using KubeApiEmulator.Tables;
using Microsoft.AspNetCore.Http;

namespace KubeApiEmulator.Api;

/// <summary>Serves resource requests: parses them, dispatches by verb and writes objects, lists, tables and Status errors.</summary>
public sealed class ApiHandler(ObjectService service, RequestHooks hooks, TimeProvider time, CancellationToken stopping)
{
    private static readonly HashSet<string> StreamingPodSubresources = ["exec", "attach", "portforward"];

    public static ApiException NoSuchResource() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public async Task HandleAsync(HttpContext ctx, RequestInfo info)
    {
        var def = service.Catalog.Find(info.Group, info.Version, info.Resource) ?? throw NoSuchResource();
        var clusterWide = info.Namespace is null;
        if (def.Namespaced ? clusterWide && info.Verb is not ("list" or "watch") : !clusterWide)
            throw NoSuchResource();
        if (info.Subresource is not null && !SubresourceServed(def, info.Subresource))
            throw NoSuchResource();

        if (hooks.Intercept is { } intercept && await intercept(ctx, info.Verb, info.Resource, info.Namespace))
            return;

        var ns = info.Namespace ?? "";
        if (info.Subresource is { } sub && StreamingPodSubresources.Contains(sub))
        {
            var pod = service.Get(def, ns, info.Name!).ToNode();
            if (sub != "exec" || hooks.Exec is null)
                throw new ApiException(400, "BadRequest", $"pod {info.Name} does not support {sub} in this emulator");
            await hooks.Exec(ctx, ns, info.Name!, pod.At("spec.containers") is JsonArray { Count: > 0 } containers ? containers[0].Text("name") : null);
            return;
        }

        var query = ctx.Request.Query;
        switch (info.Verb)
        {
            case "get":
                await GetAsync(ctx, def, ns, info);
                break;
            case "list":
                await ListAsync(ctx, def, info.Namespace);
                break;
            case "watch":
                await WatchStreamer.StreamAsync(ctx, service, def, info.Namespace, info.Name, time, stopping);
                break;
            case "create" when info.Name is null:
            {
                var body = await ReadObjectAsync(ctx);
                var result = service.Create(def, ns, body, WriteOptionsOf(query));
                await Responses.WriteBytes(ctx, 201, Served(def, result));
                break;
            }
            case "update":
                await UpdateAsync(ctx, def, ns, info);
                break;
            case "patch":
                await PatchAsync(ctx, def, ns, info);
                break;
            case "delete" when info.Subresource is null:
                await DeleteAsync(ctx, def, ns, info.Name!);
                break;
            case "deletecollection":
            {
                var request = await DeleteRequestOf(ctx);
                var deleted = service.DeleteCollection(def, info.Namespace, ListQueryOf(query), request);
                var items = new JsonArray(deleted.Select(d => (JsonNode)Presenter.ToServed(def, d)).ToArray());
                await Responses.WriteNode(ctx, 200, new JsonObject
                {
                    ["kind"] = def.ListKind,
                    ["apiVersion"] = def.GroupVersion,
                    ["metadata"] = new JsonObject { ["resourceVersion"] = service.Store.CurrentRevision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    ["items"] = items,
                });
                break;
            }
            default:
                throw ApiException.MethodNotAllowed();
        }
    }

    private static byte[] Served(ResourceDefinition def, WriteResult result) =>
        result.Stored is { } stored ? Presenter.Bytes(def, stored) : Presenter.Serialize(Presenter.ToServed(def, result.Object));

    private static bool SubresourceServed(ResourceDefinition def, string sub) => sub switch
    {
        "status" => def.HasStatus,
        "scale" => def.HasScale,
        _ => def.ExtraSubresources.Contains(sub),
    };

    private async Task GetAsync(HttpContext ctx, ResourceDefinition def, string ns, RequestInfo info)
    {
        if (info.Subresource == "scale")
        {
            await Responses.WriteNode(ctx, 200, service.GetScale(def, ns, info.Name!));
            return;
        }
        if (info.Subresource is not (null or "status"))
            throw ApiException.MethodNotAllowed();
        var stored = service.Get(def, ns, info.Name!);
        var bytes = Presenter.Bytes(def, stored);
        var accept = ctx.Request.Headers.Accept.ToString();
        if (TableWriter.Wanted(accept))
        {
            await Responses.WriteNode(ctx, 200, TableWriter.Build(def, [bytes], null, null, ctx.Request.Query["includeObject"], time.GetUtcNow()));
            return;
        }
        if (PartialMetadata.Wanted(accept))
        {
            await Responses.WriteNode(ctx, 200, PartialMetadata.Item(bytes));
            return;
        }
        await Responses.WriteBytes(ctx, 200, bytes);
    }

    private async Task ListAsync(HttpContext ctx, ResourceDefinition def, string? ns)
    {
        var result = service.List(def, ns, ListQueryOf(ctx.Request.Query));
        if (TableWriter.Wanted(ctx.Request.Headers.Accept))
        {
            var table = TableWriter.Build(def, result.Items.Select(i => Presenter.Bytes(def, i)), result.Revision, result.Continue,
                ctx.Request.Query["includeObject"], time.GetUtcNow());
            await Responses.WriteNode(ctx, 200, table);
            return;
        }
        if (PartialMetadata.WantedList(ctx.Request.Headers.Accept))
        {
            await Responses.WriteNode(ctx, 200, PartialMetadata.List(result.Items.Select(i => Presenter.Bytes(def, i)), result));
            return;
        }
        await Responses.WriteList(ctx, def, result);
    }

    private async Task UpdateAsync(HttpContext ctx, ResourceDefinition def, string ns, RequestInfo info)
    {
        var body = await ReadObjectAsync(ctx);
        var options = WriteOptionsOf(ctx.Request.Query);
        switch (info.Subresource)
        {
            case "scale":
                await Responses.WriteNode(ctx, 200, service.UpdateScale(def, ns, info.Name!, body, options));
                return;
            case null or "status":
                var result = service.Update(def, ns, info.Name!, body, info.Subresource, options);
                await Responses.WriteBytes(ctx, 200, Served(def, result));
                return;
            case "finalize":
                body.Remove("status");
                var finalized = service.Update(def, ns, info.Name!, body, null, options);
                await Responses.WriteBytes(ctx, 200, Served(def, finalized));
                return;
            default:
                throw ApiException.MethodNotAllowed();
        }
    }

    private async Task PatchAsync(HttpContext ctx, ResourceDefinition def, string ns, RequestInfo info)
    {
        var patchType = MediaType(ctx.Request.ContentType);
        if (!PatchTypes.Accepted(def).Contains(patchType))
            throw ApiException.UnsupportedMediaType(patchType, PatchTypes.Accepted(def));
        var bytes = await ReadBytesAsync(ctx);
        JsonNode patch;
        try
        {
            patch = JsonNode.Parse(bytes) ?? throw ApiException.BadRequest("the patch is empty");
        }
        catch (JsonException) when (patchType == PatchTypes.Apply)
        {
            patch = YamlJson.ParseSingle(System.Text.Encoding.UTF8.GetString(bytes));
        }
        var options = WriteOptionsOf(ctx.Request.Query);
        if (info.Subresource == "scale")
        {
            await Responses.WriteNode(ctx, 200, service.PatchScale(def, ns, info.Name!, patchType, patch, options));
            return;
        }
        if (info.Subresource is not (null or "status"))
            throw ApiException.MethodNotAllowed();
        var existed = service.Store.Get(def.StorageKey, def.Namespaced ? ns : "", info.Name!) is not null;
        var result = service.Patch(def, ns, info.Name!, patchType, patch, info.Subresource, options);
        await Responses.WriteBytes(ctx, existed ? 200 : 201, Served(def, result));
    }

    private async Task DeleteAsync(HttpContext ctx, ResourceDefinition def, string ns, string name)
    {
        var request = await DeleteRequestOf(ctx);
        var (obj, deleted) = service.Delete(def, ns, name, request);
        if (!deleted || def.ReturnsDeletedObject)
        {
            await Responses.WriteBytes(ctx, 200, Presenter.Serialize(Presenter.ToServed(def, obj)));
            return;
        }
        await Responses.WriteNode(ctx, 200, Responses.Success(def, name, obj.Text("metadata.uid") ?? ""));
    }

    public static string MediaType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
            return "";
        var semicolon = contentType.IndexOf(';');
        return (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim().ToLowerInvariant();
    }

    private static async Task<byte[]> ReadBytesAsync(HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        return buffer.ToArray();
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext ctx)
    {
        var type = MediaType(ctx.Request.ContentType);
        var bytes = await ReadBytesAsync(ctx);
        if (type is "application/yaml" or "application/x-yaml")
            return YamlJson.ParseSingle(System.Text.Encoding.UTF8.GetString(bytes)) as JsonObject
                ?? throw ApiException.BadRequest("the request body is not an object");
        if (type == Protobuf.KubeProtobuf.ContentType)
        {
            try
            {
                return Protobuf.KubeProtobuf.Decode(bytes)
                    ?? throw ApiException.UnsupportedMediaType(type, ["application/json", "application/yaml"]);
            }
            catch (FormatException e)
            {
                throw ApiException.BadRequest($"the request body is not valid protobuf: {e.Message}");
            }
        }
        if (type.Length > 0 && type != "application/json" && type != "*/*")
            throw ApiException.UnsupportedMediaType(type, ["application/json", "application/yaml"]);
        try
        {
            return JsonNode.Parse(bytes) as JsonObject ?? throw ApiException.BadRequest("the request body is not an object");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
    }

    private static async Task<DeleteRequest> DeleteRequestOf(HttpContext ctx)
    {
        var query = ctx.Request.Query;
        var request = new DeleteRequest
        {
            DryRun = query["dryRun"] == "All",
            PropagationPolicy = query["propagationPolicy"].FirstOrDefault(),
        };
        var bytes = await ReadBytesAsync(ctx);
        if (bytes.Length == 0)
            return request;
        JsonNode? body;
        try
        {
            body = JsonNode.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the request body is not valid DeleteOptions: {e.Message}");
        }
        return request with
        {
            DryRun = request.DryRun || (body?["dryRun"] as JsonArray)?.Any(v => (string?)v == "All") == true,
            PropagationPolicy = body.Text("propagationPolicy") ?? request.PropagationPolicy,
            PreconditionUid = body.Text("preconditions.uid"),
            PreconditionResourceVersion = body.Text("preconditions.resourceVersion"),
        };
    }

    private static WriteOptions WriteOptionsOf(IQueryCollection query) => new()
    {
        DryRun = query["dryRun"] == "All",
        FieldManager = query["fieldManager"].FirstOrDefault(),
    };

    public static ListQuery ListQueryOf(IQueryCollection query)
    {
        var limit = 0;
        if (query.TryGetValue("limit", out var l) && !int.TryParse(l, out limit))
            throw ApiException.BadRequest($"invalid limit: {l}");
        return new ListQuery
        {
            LabelSelector = query["labelSelector"].FirstOrDefault(),
            FieldSelector = query["fieldSelector"].FirstOrDefault(),
            Limit = Math.Max(0, limit),
            Continue = query["continue"].FirstOrDefault(),
        };
    }
}
