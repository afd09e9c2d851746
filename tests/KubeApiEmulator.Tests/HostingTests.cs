using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace KubeApiEmulator.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task Primary_and_dr_clusters_run_side_by_side_with_separate_state()
    {
        await using var primary = await TestCluster.StartAsync(o => o.ContextName = "primary");
        await using var dr = await TestCluster.StartAsync(o => o.ContextName = "dr");
        Assert.NotEqual(primary.Server.Url, dr.Server.Url);
        Assert.Contains("current-context: primary", primary.Server.KubeconfigYaml);
        Assert.Contains("current-context: dr", dr.Server.KubeconfigYaml);
        await primary.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "only-here" } }, "default");
        var (code, _) = await TestCluster.FailureOf(() => dr.Client.CoreV1.ReadNamespacedConfigMapAsync("only-here", "default"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task The_kubeconfig_file_works_with_the_client_and_names_the_context()
    {
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { ContextName = "site-a" });
        var path = Path.GetTempFileName();
        try
        {
            await server.WriteKubeconfigAsync(path);
            var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
            Assert.Equal("site-a", config.CurrentContext);
            Assert.Equal(server.Url.GetLeftPart(UriPartial.Authority), config.Host.TrimEnd('/'));
            Assert.Equal(server.Options.Token, config.AccessToken);
            using var client = new Kubernetes(config);
            Assert.NotEmpty((await client.CoreV1.ListNamespaceAsync()).Items);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_fixed_port_is_honoured()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        await using var server = await EmulatorServer.StartAsync(new EmulatorOptions { Port = port });
        Assert.Equal(port, server.Url.Port);
    }

    [Fact]
    public async Task Yaml_loads_directly_with_api_rules_and_objects_are_reachable_without_http()
    {
        await using var c = await TestCluster.StartAsync();
        var count = c.Server.Cluster.LoadYaml("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gizmos.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: gizmos, singular: gizmo, kind: Gizmo}
              versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
            ---
            apiVersion: example.com/v1
            kind: Gizmo
            metadata: {name: g1, namespace: lab}
            spec: {answer: 42, enabled: true, ratio: 0.5, note: "042", nothing: null}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: api, namespace: lab}
            spec:
              ports: [{port: 8080}]
            """);
        Assert.Equal(3, count);
        var gizmo = c.Server.Cluster.Get("example.com/v1", "Gizmo", "lab", "g1")!;
        Assert.Equal(42, (int)gizmo["spec"]!["answer"]!);
        Assert.True((bool)gizmo["spec"]!["enabled"]!);
        Assert.Equal(0.5, (double)gizmo["spec"]!["ratio"]!);
        Assert.Equal("042", (string?)gizmo["spec"]!["note"]);
        var svc = await c.Client.CoreV1.ReadNamespacedServiceAsync("api", "lab");
        Assert.StartsWith("10.9", svc.Spec.ClusterIP);

        c.Server.Cluster.Put(new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "d", ["namespace"] = "lab" },
            ["spec"] = new JsonObject { ["replicas"] = 1, ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["a"] = "b" } } },
            ["status"] = new JsonObject { ["replicas"] = 1, ["readyReplicas"] = 1 },
        });
        Assert.Equal(1, (int)c.Server.Cluster.Get("apps/v1", "Deployment", "lab", "d")!["status"]!["readyReplicas"]!);
        Assert.True(c.Server.Cluster.Delete("v1", "Service", "lab", "api"));
        Assert.Null(c.Server.Cluster.Get("v1", "Service", "lab", "api"));
    }

    [Fact]
    public async Task The_client_watch_replays_changes_from_a_resource_version()
    {
        await using var c = await TestCluster.StartAsync();
        var before = (await c.Client.CoreV1.ListNamespacedConfigMapAsync("default")).Metadata.ResourceVersion;
        await c.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "watched" } }, "default");
        await c.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"a":"b"}}""", V1Patch.PatchType.MergePatch), "watched", "default");
        await c.Client.CoreV1.DeleteNamespacedConfigMapAsync("watched", "default");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<(WatchEventType, string)>();
        await foreach (var (type, item) in c.Client.CoreV1.WatchListNamespacedConfigMapAsync("default",
            fieldSelector: "metadata.name=watched", resourceVersion: before, cancellationToken: cts.Token))
        {
            seen.Add((type, item.Metadata.Name));
            if (type == WatchEventType.Deleted)
                break;
        }
        Assert.Equal([(WatchEventType.Added, "watched"), (WatchEventType.Modified, "watched"), (WatchEventType.Deleted, "watched")], seen);
    }

    [Fact]
    public async Task The_intercept_seam_sees_verb_and_resource_and_can_answer_instead()
    {
        await using var c = await TestCluster.StartAsync();
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        c.Server.Hooks.Intercept = async (ctx, verb, resource, ns) =>
        {
            seen.Enqueue($"{verb} {resource}");
            if (resource != "secrets")
                return false;
            ctx.Response.StatusCode = 429;
            ctx.Response.Headers.RetryAfter = "1";
            await ctx.Response.WriteAsync("{}");
            return true;
        };
        await c.Client.CoreV1.ListNamespacedConfigMapAsync("default");
        using var http = new HttpClient { BaseAddress = c.Server.Url };
        var response = await http.GetAsync("/api/v1/namespaces/default/secrets");
        Assert.Equal(429, (int)response.StatusCode);
        Assert.Contains("list configmaps", seen);
        Assert.Contains("list secrets", seen);
    }

    [Fact]
    public async Task The_exec_seam_is_called_only_for_existing_pods()
    {
        await using var c = await TestCluster.StartAsync();
        c.Server.Hooks.Exec = (ctx, ns, pod, container) => ctx.Response.WriteAsync($"exec {ns}/{pod}/{container}");
        await c.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "db" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox:1.36" }] },
        }, "default");
        using var http = new HttpClient { BaseAddress = c.Server.Url };
        Assert.Equal("exec default/db/c", await http.GetStringAsync("/api/v1/namespaces/default/pods/db/exec?command=ls&stdout=true"));
        var missing = await http.PostAsync("/api/v1/namespaces/default/pods/nope/exec?command=ls", null);
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Equal("pods \"nope\" not found", (string?)JsonNode.Parse(await missing.Content.ReadAsStringAsync())!["message"]);
    }

    [Fact]
    public async Task Dispose_ends_open_watches_instead_of_waiting_for_them()
    {
        var server = await EmulatorServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.Url };
        using var response = await http.GetAsync("/api/v1/configmaps?watch=true", HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await server.DisposeAsync();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"dispose took {watch.Elapsed}");
        using var reader = new StreamReader(stream);
        await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task A_port_in_use_is_reported()
    {
        await using var first = await EmulatorServer.StartAsync();
        await Assert.ThrowsAnyAsync<IOException>(() => EmulatorServer.StartAsync(new EmulatorOptions { Port = first.Url.Port }));
    }

    [Fact]
    public async Task Loaded_objects_keep_their_uids_so_owner_references_stay_valid()
    {
        await using var c = await TestCluster.StartAsync();
        c.Server.Cluster.LoadYaml("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: parent, namespace: default, uid: 11111111-2222-3333-4444-555555555555}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: child
              namespace: default
              ownerReferences:
              - {apiVersion: v1, kind: ConfigMap, name: parent, uid: 11111111-2222-3333-4444-555555555555}
            """);
        await Task.Delay(300);
        var child = await c.Client.CoreV1.ReadNamespacedConfigMapAsync("child", "default");
        Assert.Equal("parent", child.Metadata.OwnerReferences.Single().Name);
        Assert.Equal("11111111-2222-3333-4444-555555555555", (await c.Client.CoreV1.ReadNamespacedConfigMapAsync("parent", "default")).Metadata.Uid);

        var posted = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "posted", Uid = "11111111-0000-0000-0000-000000000000" } };
        Assert.NotEqual("11111111-0000-0000-0000-000000000000", (await c.Client.CoreV1.CreateNamespacedConfigMapAsync(posted, "default")).Metadata.Uid);
    }
}
