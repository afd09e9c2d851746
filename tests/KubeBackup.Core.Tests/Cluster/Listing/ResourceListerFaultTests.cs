using System.Diagnostics;
using KubeApiEmulator;
using KubeApiEmulator.Faults;
using KubeBackup.Core.Cluster.Listing;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Tests.Cluster.Discovery;
using Microsoft.AspNetCore.Http;
using static KubeBackup.Core.Tests.Cluster.Listing.ListingTestCluster;

namespace KubeBackup.Core.Tests.Cluster.Listing;

/// <summary>Injected API server faults: retried to a complete list, or a clear failure; cancellation is prompt.</summary>
public sealed class ResourceListerFaultTests
{
    private static readonly RetryPolicy FastRetry = new() { MaxRetries = 4, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50) };

    [Fact]
    public async Task ThrottlingServerErrorsAndDroppedConnectionsAreRetriedToACompleteList()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        CreateNamespace(emulator, "flaky");
        CreateConfigMaps(emulator, "flaky", 200);
        var rules = new[]
        {
            emulator.Faults.Add(FaultRule.Throttle("list", "configmaps", retryAfterSeconds: 0, maxCount: 2)),
            emulator.Faults.Add(FaultRule.ServerError("list", "configmaps", probability: 0.3, maxCount: 3)),
            emulator.Faults.Add(FaultRule.Unavailable("list", "configmaps", probability: 0.3, retryAfterSeconds: 0, maxCount: 2)),
            emulator.Faults.Add(FaultRule.Drop("list", "configmaps", probability: 0.3, maxCount: 1)),
        };
        var sink = new RecordingSink();
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator), sink);

        var items = await lister.ListAsync(ConfigMaps, new ResourceListOptions { Namespace = "flaky", PageSize = 20, Retry = FastRetry }).ToListAsync();

        Assert.Equal(201, items.Select(i => i["metadata"]!["name"]!.GetValue<string>()).Distinct().Count());
        Assert.All(rules, rule => Assert.True(emulator.Faults.InjectedCount(rule) > 0, $"{rule.Kind} was never injected"));
        Assert.Equal(emulator.Faults.TotalInjected, sink.VerboseMessages.Count(m => m.Contains("retry", StringComparison.Ordinal)));
        Assert.Contains(sink.VerboseMessages, m => m.Contains("429", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadGatewayAndGatewayTimeoutAreRetried()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var answered = 0;
        Observe(emulator, (context, verb, _) => verb == "list" ? Interlocked.Increment(ref answered) switch
        {
            1 => AnswerStatusAsync(context, 502, "BadGateway", "bad gateway"),
            2 => AnswerStatusAsync(context, 504, "Timeout", "gateway timeout"),
            _ => Task.FromResult(false),
        } : Task.FromResult(false));
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator));

        var items = await lister.ListAsync(ServiceAccounts, new ResourceListOptions { Retry = FastRetry }).ToListAsync();

        Assert.Equal(4, items.Count);
        Assert.Equal(3, answered);
    }

    [Fact]
    public async Task AnAnswerThatIsNotJsonFailsTheResource()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        Observe(emulator, async (context, _, _) =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("<html>proxy login</html>");
            return true;
        });
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator));

        var error = await Assert.ThrowsAsync<KbException>(async () => await lister.ListAsync(ServiceAccounts, new ResourceListOptions { Retry = FastRetry }).ToListAsync());

        Assert.Equal(ErrorIds.ResourceListFailed, error.ErrorId);
        Assert.Equal(KbErrorCategory.InvalidResult, error.Category);
        Assert.Contains("serviceaccounts in all namespaces", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RetryAfterIsHonoured()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        emulator.Faults.Add(FaultRule.Throttle("list", "configmaps", retryAfterSeconds: 1, maxCount: 1));
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator));
        var clock = Stopwatch.StartNew();

        var items = await lister.ListAsync(ConfigMaps, new ResourceListOptions { Retry = FastRetry }).ToListAsync();

        Assert.NotEmpty(items);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(950), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task APersistentServerErrorFailsTheResourceAfterBoundedRetries()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var rule = emulator.Faults.Add(FaultRule.ServerError("list", "secrets"));
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator));

        var error = await Assert.ThrowsAsync<KbException>(async () => await lister.ListAsync(Secrets, new ResourceListOptions { Retry = FastRetry }).ToListAsync());

        Assert.Equal(ErrorIds.ResourceListFailed, error.ErrorId);
        Assert.Equal(KbErrorCategory.ResourceUnavailable, error.Category);
        Assert.Equal("secrets", error.Target);
        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        Assert.Contains("gave up after 4 retries", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, emulator.Faults.InjectedCount(rule));
    }

    [Fact]
    public async Task CancellationStopsAWaitingListPromptly()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        emulator.Faults.Add(FaultRule.Delay(TimeSpan.FromSeconds(20), "list", "configmaps"));
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await lister.ListAsync(ConfigMaps, cancellationToken: cancel.Token).ToListAsync(cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task CancellationStopsTheBackoffPromptly()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        emulator.Faults.Add(FaultRule.Throttle("list", "configmaps", retryAfterSeconds: 20));
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await lister.ListAsync(ConfigMaps, cancellationToken: cancel.Token).ToListAsync(cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }
}
