using System.Text.Json;
using KubeApiEmulator.Api;
using KubeApiEmulator.Discovery;
using KubeApiEmulator.Resources;
using Microsoft.AspNetCore.Http;

namespace KubeApiEmulator.Hosting;

/// <summary>The single request entry: authentication, health, discovery, OpenAPI, then resource requests.</summary>
public sealed class Router(ApiHandler api, ResourceCatalog catalog, string token, Func<string> serverAddress, bool logRequests)
{
    public async Task HandleAsync(HttpContext ctx)
    {
        if (logRequests)
            Console.Error.WriteLine($"{ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString} {ctx.Request.ContentType}");
        try
        {
            var authorization = ctx.Request.Headers.Authorization.ToString();
            if (authorization.Length > 0 && authorization != "Bearer " + token)
                throw ApiException.Unauthorized();
            var path = ctx.Request.Path.Value ?? "/";
            if (path.Length > 1)
                path = path.TrimEnd('/');
            if (await ServeFixedAsync(ctx, path))
                return;
            var info = RequestInfo.Parse(path, ctx.Request.Method, IsWatch(ctx.Request.Query["watch"]));
            if (info is null)
                throw ApiHandler.NoSuchResource();
            await api.HandleAsync(ctx, info);
        }
        catch (ApiException e) when (!ctx.Response.HasStarted)
        {
            await Responses.WriteError(ctx, e);
        }
        catch (JsonException e) when (!ctx.Response.HasStarted)
        {
            await Responses.WriteError(ctx, ApiException.BadRequest(e.Message));
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception e) when (!ctx.Response.HasStarted && e is not OperationCanceledException)
        {
            await Responses.WriteError(ctx, ApiException.Internal(e.Message));
        }
    }

    private static bool IsWatch(string? value) => value is "true" or "1";

    private async Task<bool> ServeFixedAsync(HttpContext ctx, string path)
    {
        switch (path)
        {
            case "/healthz" or "/readyz" or "/livez":
                ctx.Response.ContentType = "text/plain; charset=utf-8";
                await ctx.Response.WriteAsync("ok");
                return true;
            case "/version":
                await Responses.WriteNode(ctx, 200, DiscoveryDocuments.Version());
                return true;
            case "/api":
                await Responses.WriteNode(ctx, 200, DiscoveryDocuments.CoreVersions(serverAddress()));
                return true;
            case "/apis":
                await Responses.WriteNode(ctx, 200, DiscoveryDocuments.GroupList(catalog));
                return true;
            case "/openapi/v3":
                await Responses.WriteNode(ctx, 200, OpenApiDocuments.Index(catalog));
                return true;
        }
        if (path.StartsWith("/openapi/v3/", StringComparison.Ordinal))
        {
            var doc = OpenApiDocuments.GroupVersion(catalog, path["/openapi/v3/".Length..]) ?? throw ApiHandler.NoSuchResource();
            await Responses.WriteNode(ctx, 200, doc);
            return true;
        }
        if (ctx.Request.Method != "GET")
            return false;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts is ["api", var coreVersion])
        {
            await Responses.WriteNode(ctx, 200, DiscoveryDocuments.ResourceList(catalog, "", coreVersion) ?? throw ApiHandler.NoSuchResource());
            return true;
        }
        if (parts is ["apis", var group])
        {
            await Responses.WriteNode(ctx, 200, DiscoveryDocuments.Group(catalog, group) ?? throw ApiHandler.NoSuchResource());
            return true;
        }
        if (parts is ["apis", var g, var v])
        {
            await Responses.WriteNode(ctx, 200, DiscoveryDocuments.ResourceList(catalog, g, v) ?? throw ApiHandler.NoSuchResource());
            return true;
        }
        return false;
    }
}
