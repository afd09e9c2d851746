using k8s;
using k8s.Models;
using KubeApiEmulator.Exec;
using KubeApiEmulator.Faults;

namespace KubeApiEmulator.Tests;

/// <summary>The fault injector and exec registry wired into the full emulator.</summary>
public sealed class SeamWiringTests
{
    [Fact]
    public async Task Fault_rules_apply_to_emulator_requests()
    {
        await using var c = await TestCluster.StartAsync(o => o.FaultSeed = 42);
        var rule = c.Server.Faults.Add(FaultRule.Throttle("list", "secrets", retryAfterSeconds: 3, maxCount: 1));
        using var http = new HttpClient { BaseAddress = c.Server.Url };
        var throttled = await http.GetAsync("/api/v1/namespaces/default/secrets");
        Assert.Equal(429, (int)throttled.StatusCode);
        Assert.Equal("3", throttled.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(200, (int)(await http.GetAsync("/api/v1/namespaces/default/secrets")).StatusCode);
        Assert.Equal(1, c.Server.Faults.InjectedCount(rule));
        Assert.NotNull(await c.Client.CoreV1.ListNamespacedConfigMapAsync("default"));
    }

    [Fact]
    public async Task Exec_into_an_emulated_pod_reaches_the_registered_handler()
    {
        await using var c = await TestCluster.StartAsync();
        await c.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "db-0" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "postgres", Image = "postgres:16" }] },
        }, "default");
        c.Server.Exec.Register("default", "db-0", "postgres", ExecHandlers.Scripted("dump data\n", exitCode: 0));
        string stdout = "";
        var exitCode = await c.Client.NamespacedPodExecAsync("db-0", "default", "postgres", ["pg_dump", "app"], false, async (_, outStream, errStream) =>
        {
            var outText = new StreamReader(outStream).ReadToEndAsync();
            var errText = new StreamReader(errStream).ReadToEndAsync();
            stdout = await outText;
            await errText;
        }, CancellationToken.None);
        Assert.Equal(0, exitCode);
        Assert.Equal("dump data\n", stdout);
    }
}
