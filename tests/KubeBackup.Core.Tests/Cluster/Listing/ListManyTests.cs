using System.Diagnostics;
using KubeApiEmulator;
using KubeApiEmulator.Faults;
using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Cluster.Listing;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Tests.Cluster.Discovery;
using static KubeBackup.Core.Tests.Cluster.Listing.ListingTestCluster;

namespace KubeBackup.Core.Tests.Cluster.Listing;

/// <summary>Several resource types listed at once: the bound, per-type failures, progress and cancellation.</summary>
public sealed class ListManyTests
{
    private static readonly RetryPolicy FastRetry = new() { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task ListsEveryTypeAndReportsProgress()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        CreateNamespace(emulator, "many");
        CreateConfigMaps(emulator, "many", 120);
        var sink = new RecordingSink();
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator), sink);
        var types = new[] { ConfigMaps, ServiceAccounts, Namespaces };

        var items = await lister.ListManyAsync(types, 2, new ResourceListOptions { PageSize = 50 }).ToListAsync();

        Assert.DoesNotContain(items, i => i.Failed);
        Assert.Equal(emulator.Cluster.List("v1", "ConfigMap").Count, items.Count(i => i.Resource == ConfigMaps));
        Assert.Equal(5, items.Count(i => i.Resource == ServiceAccounts));
        Assert.Equal(["default", "kube-node-lease", "kube-public", "kube-system", "many"], items.Where(i => i.Resource == Namespaces).Select(i => i.Object!["metadata"]!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(items, i => Assert.Equal(i.Resource.Kind, i.Object!["kind"]!.GetValue<string>()));
        var reports = sink.ProgressReports;
        Assert.Equal(3, reports.Count(r => !r.Completed));
        Assert.Contains(reports, r => r.Status.StartsWith("3 of 3 lists", StringComparison.Ordinal) && r.PercentComplete == 100);
        Assert.True(reports[^1].Completed);
    }

    [Fact]
    public async Task APersistentlyFailingTypeIsReportedAndTheOthersComplete()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        CreateNamespace(emulator, "many");
        CreateConfigMaps(emulator, "many", 30);
        emulator.Faults.Add(FaultRule.ServerError("list", "secrets"));
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator));

        var items = await lister.ListManyAsync([Secrets, ConfigMaps, ServiceAccounts], 3, new ResourceListOptions { PageSize = 7, Retry = FastRetry }).ToListAsync();

        var failure = Assert.Single(items, i => i.Failed);
        Assert.Equal(Secrets, failure.Resource);
        Assert.Null(failure.Object);
        Assert.Equal(ErrorIds.ResourceListFailed, failure.Failure!.ErrorId);
        Assert.Contains("secrets", failure.Failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(items, i => i.Resource == Secrets && !i.Failed);
        Assert.Equal(emulator.Cluster.List("v1", "ConfigMap").Count, items.Count(i => i.Resource == ConfigMaps));
        Assert.Equal(5, items.Count(i => i.Resource == ServiceAccounts));
    }

    [Fact]
    public async Task NoMoreListsRunAtOnceThanTheBound()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var running = 0;
        var most = 0;
        Observe(emulator, async (_, verb, _) =>
        {
            if (verb == "list")
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                await Task.Delay(60);
                Interlocked.Decrement(ref running);
            }

            return false;
        });
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator));
        var types = new[] { "configmaps", "secrets", "serviceaccounts", "services", "endpoints", "limitranges" }
            .Select(plural => new ApiResource("", "v1", plural, plural, true, ["get", "list"], []))
            .ToList();

        var items = await lister.ListManyAsync(types, 2).ToListAsync();

        Assert.DoesNotContain(items, i => i.Failed);
        Assert.Equal(2, most);
    }

    [Fact]
    public async Task CancellationStopsEveryListPromptly()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        emulator.Faults.Add(FaultRule.Delay(TimeSpan.FromSeconds(20), "list", "secrets"));
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        var received = new List<ListedItem>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in lister.ListManyAsync([ConfigMaps, Secrets], 2, cancellationToken: cancel.Token))
            {
                received.Add(item);
            }
        });

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.DoesNotContain(received, i => i.Resource == Secrets);
    }

    [Fact]
    public async Task StoppingEarlyEndsTheListsStillRunning()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        CreateNamespace(emulator, "many");
        CreateConfigMaps(emulator, "many", 50);
        emulator.Faults.Add(FaultRule.Delay(TimeSpan.FromSeconds(20), "list", "secrets"));
        var lister = new ResourceLister(ClusterTestKit.Connect(emulator));
        var clock = Stopwatch.StartNew();

        var first = await lister.ListManyAsync([ConfigMaps, Secrets], 2, new ResourceListOptions { PageSize = 10 }).FirstAsync();

        Assert.Equal(ConfigMaps, first.Resource);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
