using System.Net;
using KubeApiEmulator.Api;
using KubeApiEmulator.Controllers;
using KubeApiEmulator.Exec;
using KubeApiEmulator.Faults;
using KubeApiEmulator.Hosting;
using KubeApiEmulator.Resources;
using KubeApiEmulator.Semantics;
using KubeApiEmulator.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KubeApiEmulator;

/// <summary>A loopback Kubernetes API server with its own cluster state; several can run side by side.</summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ControllerHost _controllers;
    private readonly CancellationTokenSource _stopping;
    private int _disposed;

    private EmulatorServer(WebApplication app, ControllerHost controllers, CancellationTokenSource stopping, EmulatorOptions options,
        Uri url, ClusterStore store, ClusterAccess cluster, RequestHooks hooks, FaultInjector faults, ExecRegistry exec)
    {
        Faults = faults;
        Exec = exec;
        _app = app;
        _stopping = stopping;
        _controllers = controllers;
        Options = options;
        Url = url;
        Store = store;
        Cluster = cluster;
        Hooks = hooks;
        KubeconfigYaml = Kubeconfig.Build(url, options.ContextName, options.Token);
    }

    public EmulatorOptions Options { get; }

    public Uri Url { get; }

    public string KubeconfigYaml { get; }

    /// <summary>Raw storage: every object by storage key, with change notifications.</summary>
    public ClusterStore Store { get; }

    /// <summary>Object access with API semantics, and YAML loading.</summary>
    public ClusterAccess Cluster { get; }

    public ResourceCatalog Resources => Cluster.Service.Catalog;

    /// <summary>Simulated controller switches and delays; changes apply immediately.</summary>
    public ControllerSettings Controllers => Options.Controllers;

    /// <summary>Where fault injection and pod exec plug into the request pipeline (wired to Faults and Exec).</summary>
    public RequestHooks Hooks { get; }

    /// <summary>Fault rules for reliability tests, seeded from EmulatorOptions.FaultSeed.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Exec handlers for pods (scripted output or a real local process).</summary>
    public ExecRegistry Exec { get; }

    public static async Task<EmulatorServer> StartAsync(EmulatorOptions? options = null, CancellationToken ct = default)
    {
        options ??= new EmulatorOptions();
        var time = options.Time;
        var store = new ClusterStore(time, options.CompactionWindow);
        var catalog = new ResourceCatalog(BuiltinResources.All);
        var allocator = new ServiceAllocator(options.ServiceCidr);
        store.Subscribe(allocator.Observe, null, out _);
        var service = new ObjectService(store, catalog, new Admission(store, allocator), time);
        var cluster = new ClusterAccess(service);
        ClusterBootstrap.Seed(cluster, options);
        var faults = new FaultInjector(options.FaultSeed);
        var exec = new ExecRegistry();
        var hooks = new RequestHooks
        {
            Intercept = faults.TryInjectAsync,
            Exec = (ctx, ns, pod, container) => ExecEndpoint.HandleAsync(ctx, ns, pod, exec, container),
        };
        var controllers = new ControllerHost(service, options.Controllers, time);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "KubeApiEmulator" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        var app = builder.Build();
        string address = "127.0.0.1:0";
        var stopping = new CancellationTokenSource();
        var router = new Router(new ApiHandler(service, hooks, time, stopping.Token), catalog, options.Token, () => address, options.LogRequests);
        app.UseWebSockets();
        app.Run(router.HandleAsync);
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            stopping.Dispose();
            throw;
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        address = url.Authority;
        controllers.Start();
        return new EmulatorServer(app, controllers, stopping, options, new Uri($"http://127.0.0.1:{url.Port}"), store, cluster, hooks, faults, exec);
    }

    public Task WriteKubeconfigAsync(string path) => File.WriteAllTextAsync(path, KubeconfigYaml);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stopping.CancelAsync();
        await _controllers.DisposeAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
