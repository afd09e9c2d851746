using System.Diagnostics;
using System.Text.RegularExpressions;
using k8s;

namespace KubeApiEmulator.Tests;

/// <summary>The built emulator as a child process, the way benchmarks and the demo run it.</summary>
public sealed partial class StandaloneTests
{
    [GeneratedRegex(@"^KubeApiEmulator listening on (http://127\.0\.0\.1:\d+)$")]
    private static partial Regex ListeningLine();

    private sealed class Child : IAsyncDisposable
    {
        public required Process Process { get; init; }
        public required Uri Url { get; init; }
        public required string Kubeconfig { get; init; }
        public required string Dir { get; init; }

        public static async Task<Child> StartAsync(params string[] extra)
        {
            var dir = Directory.CreateTempSubdirectory("emulator-child-").FullName;
            var kubeconfig = Path.Combine(dir, "kubeconfig");
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { typeof(EmulatorServer).Assembly.Location, "--port", "0", "--kubeconfig", kubeconfig, "--exit-on-stdin-close" }.Concat(extra))
                start.ArgumentList.Add(a);
            var process = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            var match = ListeningLine().Match(line ?? "");
            if (!match.Success)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"unexpected first line {line}: {await process.StandardError.ReadToEndAsync()}");
            }
            return new Child { Process = process, Url = new Uri(match.Groups[1].Value), Kubeconfig = kubeconfig, Dir = dir };
        }

        public Kubernetes Client() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig));

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
                Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
            Process.Dispose();
            Directory.Delete(Dir, recursive: true);
        }
    }

    [Fact]
    public async Task Loads_manifests_from_a_directory_and_exits_when_stdin_closes()
    {
        var manifests = Directory.CreateTempSubdirectory("manifests-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(manifests, "nested"));
            File.WriteAllText(Path.Combine(manifests, "a.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: one, namespace: loaded}
                data: {n: "1"}
                ---
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Secret
                  metadata: {name: two, namespace: loaded}
                  stringData: {x: y}
                """);
            File.WriteAllText(Path.Combine(manifests, "nested", "b.json"),
                """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"three","namespace":"loaded"},"data":{"n":"3"}}""");
            File.WriteAllText(Path.Combine(manifests, "nested", "ignored.txt"), "not a manifest");

            await using var child = await Child.StartAsync("--load", manifests, "--context", "primary");
            Assert.Contains("current-context: primary", File.ReadAllText(child.Kubeconfig));
            using var client = child.Client();
            var cms = await client.CoreV1.ListNamespacedConfigMapAsync("loaded", labelSelector: null);
            Assert.Equal(["kube-root-ca.crt", "one", "three"], cms.Items.Select(i => i.Metadata.Name));
            Assert.NotNull(await client.CoreV1.ReadNamespacedSecretAsync("two", "loaded"));

            child.Process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await child.Process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, child.Process.ExitCode);
        }
        finally
        {
            Directory.Delete(manifests, recursive: true);
        }
    }

    [Fact]
    public async Task Synthetic_clusters_are_deterministic_per_seed_and_stop_on_sigterm()
    {
        await using var a = await Child.StartAsync("--synthetic", "400", "--seed", "7");
        await using var b = await Child.StartAsync("--synthetic", "400", "--seed", "7");
        using var ca = a.Client();
        using var cb = b.Client();
        var namesA = (await ca.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: "synthetic=true")).Items.Select(i => i.Metadata.Name).ToList();
        var namesB = (await cb.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: "synthetic=true")).Items.Select(i => i.Metadata.Name).ToList();
        Assert.True(namesA.Count > 50);
        Assert.Equal(namesA, namesB);
        var deployments = await ca.AppsV1.ListDeploymentForAllNamespacesAsync();
        Assert.NotEmpty(deployments.Items);
        var widgets = await ca.CustomObjects.ListClusterCustomObjectAsync("synthetic.example.com", "v1", "widgets");
        Assert.NotNull(widgets);

        using var kill = Process.Start("kill", ["-TERM", a.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await a.Process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, a.Process.ExitCode);
    }

    private static System.Text.Json.Nodes.JsonObject Snapshot(string name) => new()
    {
        ["apiVersion"] = "snapshot.storage.k8s.io/v1",
        ["kind"] = "VolumeSnapshot",
        ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = name },
        ["spec"] = new System.Text.Json.Nodes.JsonObject { ["source"] = new System.Text.Json.Nodes.JsonObject { ["persistentVolumeClaimName"] = "data" } },
    };

    private static async Task<System.Text.Json.Nodes.JsonNode> ReadSnapshot(Kubernetes client, string name) =>
        System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(
            await client.CustomObjects.GetNamespacedCustomObjectAsync("snapshot.storage.k8s.io", "v1", "default", "volumesnapshots", name)))!;

    [Fact]
    public async Task Snapshot_fault_options_make_matching_snapshots_fail_or_stay_unready()
    {
        await using var child = await Child.StartAsync(
            "--snapshot-error", "default/data-snap-*=injected: disk on fire",
            "--snapshot-never-ready", "default/stuck",
            "--snapshot-ready-delay", "1000");
        using var client = child.Client();
        await client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Workloads.Claim("data"), "default");
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Snapshot("other-snap"), "snapshot.storage.k8s.io", "v1", "default", "volumesnapshots");
        // The delay holds a new snapshot back at first.
        Assert.Null((await ReadSnapshot(client, "other-snap"))["status"]?["readyToUse"]);
        foreach (var name in new[] { "data-snap-20261124-0600", "stuck" })
            await client.CustomObjects.CreateNamespacedCustomObjectAsync(Snapshot(name), "snapshot.storage.k8s.io", "v1", "default", "volumesnapshots");
        await TestCluster.Eventually(async () => (string?)(await ReadSnapshot(client, "data-snap-20261124-0600"))["status"]?["error"]?["message"] == "injected: disk on fire", "error");
        await TestCluster.Eventually(async () => (bool?)(await ReadSnapshot(client, "other-snap"))["status"]?["readyToUse"] == true, "other ready");
        await TestCluster.Eventually(async () => (await ReadSnapshot(client, "stuck"))["status"]?["boundVolumeSnapshotContentName"] is not null, "stuck bound");
        Assert.False((bool)(await ReadSnapshot(client, "stuck"))["status"]!["readyToUse"]!);
    }

    [Theory]
    [InlineData("--snapshot-error", "default/data-snap")]
    [InlineData("--snapshot-ready-delay", "soon")]
    public async Task A_bad_snapshot_option_exits_2_with_the_message_and_the_usage(string option, string value)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { typeof(EmulatorServer).Assembly.Location, "--port", "0", option, value })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains(option, await stderr);
        Assert.Contains("usage: KubeApiEmulator", await stderr);
        Assert.DoesNotContain("listening", await stdout);
    }
}
