using System.Net;
using System.Text.Json;
using k8s;
using KubeApiEmulator.Exec;
using KubeApiEmulator.Faults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace KubeApiEmulator.Tests.Support;

/// <summary>
/// Test scaffolding for the exec and fault components alone: a Kestrel app on a free loopback port with just enough
/// API (version, discovery, a one-container pod per name, empty lists) for KubernetesClient and kubectl to reach them.
/// </summary>
internal sealed class MiniHost : IAsyncDisposable
{
    public const string ContainerName = "main";

    private readonly WebApplication app;

    private MiniHost(WebApplication app, ExecRegistry exec, FaultInjector faults)
    {
        this.app = app;
        Exec = exec;
        Faults = faults;
        Url = app.Urls.Single();
    }

    public ExecRegistry Exec { get; }

    public FaultInjector Faults { get; }

    public string Url { get; }

    public static async Task<MiniHost> StartAsync(int faultSeed = 1)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var exec = new ExecRegistry();
        var faults = new FaultInjector(faultSeed);
        app.UseWebSockets();
        MapRoutes(app, exec, faults);
        await app.StartAsync();
        return new MiniHost(app, exec, faults);
    }

    public Kubernetes CreateClient() => new(new KubernetesClientConfiguration { Host = Url });

    /// <summary>A kubeconfig with a token user, as kubectl is pointed at a real cluster.</summary>
    public string WriteKubeconfig(string directory)
    {
        var path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: mini
              cluster:
                server: {Url}
            users:
            - name: tester
              user:
                token: test-token
            contexts:
            - name: mini
              context:
                cluster: mini
                user: tester
            current-context: mini
            """);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static void MapRoutes(IEndpointRouteBuilder routes, ExecRegistry exec, FaultInjector faults)
    {
        routes.MapGet("/version", () => Results.Json(new Dictionary<string, string>
        {
            ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0", ["platform"] = "linux/amd64",
        }));
        routes.MapGet("/api", () => Results.Json(new { kind = "APIVersions", versions = new[] { "v1" } }));
        routes.MapGet("/api/v1", () => Results.Json(new
        {
            kind = "APIResourceList",
            groupVersion = "v1",
            resources = new object[]
            {
                new { name = "pods", singularName = "pod", @namespaced = true, kind = "Pod", verbs = new[] { "get", "list" } },
                new { name = "pods/exec", singularName = "", @namespaced = true, kind = "PodExecOptions", verbs = new[] { "create", "get" } },
            },
        }));
        routes.MapGet("/apis", () => Results.Json(new { kind = "APIGroupList", apiVersion = "v1", groups = Array.Empty<object>() }));

        routes.Map("/api/v1/namespaces/{ns}/pods/{name}/exec", (HttpContext context, string ns, string name) =>
            ExecEndpoint.HandleAsync(context, ns, name, exec));

        routes.MapGet("/api/v1/namespaces/{ns}/{resource}", async (HttpContext context, string ns, string resource) =>
        {
            var verb = context.Request.Query["watch"] is ["true" or "1"] ? "watch" : "list";
            if (!await faults.TryInjectAsync(context, verb, resource))
            {
                await WriteJsonAsync(context, new { kind = KindOf(resource) + "List", apiVersion = "v1", metadata = new { resourceVersion = "1" }, items = Array.Empty<object>() });
            }
        });
        routes.MapGet("/api/v1/namespaces/{ns}/{resource}/{name}", async (HttpContext context, string ns, string resource, string name) =>
        {
            if (!await faults.TryInjectAsync(context, "get", resource))
            {
                await WriteJsonAsync(context, ObjectOf(resource, ns, name));
            }
        });
    }

    private static string KindOf(string resource) => resource switch
    {
        "pods" => "Pod",
        "secrets" => "Secret",
        "configmaps" => "ConfigMap",
        _ => throw new ArgumentException($"MiniHost serves no {resource}.", nameof(resource)),
    };

    private static object ObjectOf(string resource, string ns, string name)
    {
        var metadata = new { name, @namespace = ns, uid = Guid.NewGuid().ToString(), resourceVersion = "1", creationTimestamp = "2026-01-01T00:00:00Z" };
        if (resource != "pods")
        {
            return new { kind = KindOf(resource), apiVersion = "v1", metadata };
        }

        // kubectl exec reads the pod first: it refuses a completed pod and picks the container from the spec.
        return new
        {
            kind = "Pod",
            apiVersion = "v1",
            metadata,
            spec = new { containers = new[] { new { name = ContainerName, image = "busybox" } } },
            status = new
            {
                phase = "Running",
                containerStatuses = new[] { new { name = ContainerName, ready = true, started = true, restartCount = 0, image = "busybox", imageID = "", state = new { running = new { startedAt = "2026-01-01T00:00:00Z" } } } },
            },
        };
    }

    private static Task WriteJsonAsync(HttpContext context, object value)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, value, value.GetType(), cancellationToken: context.RequestAborted);
    }
}
