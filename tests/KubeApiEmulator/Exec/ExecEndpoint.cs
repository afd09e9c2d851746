using Microsoft.AspNetCore.Http;

namespace KubeApiEmulator.Exec;

/// <summary>
/// Serves <c>/api/v1/namespaces/{ns}/pods/{name}/exec</c> once the caller has found the pod: refuses what the real
/// server refuses, upgrades to a channel WebSocket and hands the session to the registered handler.
/// </summary>
public static class ExecEndpoint
{
    public static Task HandleAsync(HttpContext context, string @namespace, string pod, ExecRegistry registry) =>
        HandleAsync(context, @namespace, pod, registry, defaultContainer: null);

    /// <param name="defaultContainer">The container the real server would pick when the query names none (the pod's
    /// first container), so handlers registered for it are found.</param>
    public static async Task HandleAsync(HttpContext context, string @namespace, string pod, ExecRegistry registry, string? defaultContainer)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(registry);

        // The API server's upgrade-aware proxy refuses a plain request before anything else. A real server would
        // also take SPDY; this one only speaks WebSocket, and says so rather than fail obscurely.
        if (!context.WebSockets.IsWebSocketRequest)
        {
            var upgrade = context.Request.Headers.Upgrade.ToString();
            var message = upgrade.Length == 0
                ? "Upgrade request required"
                : $"unable to upgrade connection: {upgrade} is not supported, only WebSocket ({string.Join(", ", ChannelProtocol.SupportedNames)})";
            await RefuseAsync(context, ExecStatus.BadRequest(message)).ConfigureAwait(false);
            return;
        }

        var options = ExecOptions.FromQuery(context.Request.Query, defaultContainer);
        if (options.Problem() is { } problem)
        {
            await RefuseAsync(context, ExecStatus.BadRequest(problem)).ConfigureAwait(false);
            return;
        }

        var requested = context.WebSockets.WebSocketRequestedProtocols;
        if (ChannelProtocol.Negotiate(requested) is not { } protocol)
        {
            var message = $"requested protocol(s) are not supported: [{string.Join(' ', requested)}]; supports [{string.Join(' ', ChannelProtocol.SupportedNames)}]";
            await RefuseAsync(context, ExecStatus.Forbidden(message)).ConfigureAwait(false);
            return;
        }

        var aborted = context.RequestAborted;
        using var webSocket = await context.WebSockets.AcceptWebSocketAsync(protocol.Name).ConfigureAwait(false);
        var session = new ExecSession(new ChannelSocket(webSocket, protocol, aborted), options);
        await session.RunAsync(@namespace, pod, registry, aborted).ConfigureAwait(false);
    }

    private static async Task RefuseAsync(HttpContext context, ExecStatus status)
    {
        context.Response.StatusCode = status.Code;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(status.ToResponseJson(), context.RequestAborted).ConfigureAwait(false);
    }
}
