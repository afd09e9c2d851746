using KubeApiEmulator;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Failover;
using KubeBackup.Core.Tests.Cluster.Discovery;

namespace KubeBackup.Core.Tests.Failover;

/// <summary>StandbyWorkloads against the in-process emulator: record and scale, idempotence, bad annotations, prefix.</summary>
public sealed class StandbyTests : IAsyncLifetime
{
    public const string Workloads = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: prod}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: empty}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: prod}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: idle, namespace: prod}
        spec:
          replicas: 0
          selector: {matchLabels: {app: idle}}
          template: {metadata: {labels: {app: idle}}, spec: {containers: [{name: idle, image: nginx}]}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: broken, namespace: prod, annotations: {original-replicas: three}}
        spec:
          replicas: 2
          selector: {matchLabels: {app: broken}}
          template: {metadata: {labels: {app: broken}}, spec: {containers: [{name: broken, image: nginx}]}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: api, namespace: prod, annotations: {original-replicas: "4"}}
        spec:
          replicas: 1
          selector: {matchLabels: {app: api}}
          template: {metadata: {labels: {app: api}}, spec: {containers: [{name: api, image: nginx}]}}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: prod}
        spec:
          replicas: 2
          serviceName: db
          selector: {matchLabels: {app: db}}
          template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: postgres}]}}
        """;

    private EmulatorServer _emulator = null!;

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorServer.StartAsync();
        _emulator.Cluster.LoadYaml(Workloads);
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private async Task<List<StandbyResult>> StandbyAsync(string ns = "prod", string prefix = "")
    {
        using var workloads = new StandbyWorkloads(ClusterTestKit.Connect(_emulator));
        var results = new List<StandbyResult>();
        foreach (var plan in await workloads.PlanAsync(ns, prefix, default))
        {
            results.Add(await workloads.ApplyAsync(plan, default));
        }
        return results;
    }

    private (int? Replicas, string? Annotation) Read(string kind, string name, string annotation = "original-replicas")
    {
        var item = _emulator.Cluster.Get("apps/v1", kind, "prod", name)!;
        return ((int?)item["spec"]?["replicas"], (string?)item["metadata"]?["annotations"]?[annotation]);
    }

    private static StandbyResult One(IEnumerable<StandbyResult> results, string name) => Assert.Single(results, r => r.Name == name);

    [Fact]
    public async Task Each_workload_gets_its_replicas_recorded_and_is_scaled_to_zero()
    {
        var results = await StandbyAsync();

        Assert.Equal(5, results.Count);
        var web = One(results, "web");
        Assert.Equal(("Deployment", 3, 3, StandbyAction.ScaledDown), (web.Kind, web.RecordedReplicas, web.PreviousReplicas, web.Action));
        var db = One(results, "db");
        Assert.Equal(("StatefulSet", 2, StandbyAction.ScaledDown), (db.Kind, db.RecordedReplicas, db.Action));
        Assert.Equal((0, "3"), Read("Deployment", "web"));
        Assert.Equal((0, "2"), Read("StatefulSet", "db"));
    }

    [Fact]
    public async Task Running_twice_keeps_the_recorded_count()
    {
        await StandbyAsync();
        var second = await StandbyAsync();

        var web = One(second, "web");
        Assert.Equal((StandbyAction.AlreadyStandby, 3, 0), (web.Action, web.RecordedReplicas, web.PreviousReplicas));
        Assert.Equal((0, "3"), Read("Deployment", "web"));
        Assert.Equal((0, "2"), Read("StatefulSet", "db"));
    }

    [Fact]
    public async Task A_workload_scaled_up_again_after_standby_is_scaled_down_and_keeps_its_recorded_count()
    {
        var api = One(await StandbyAsync(), "api");

        Assert.Equal((StandbyAction.AlreadyStandby, 4, 1), (api.Action, api.RecordedReplicas, api.PreviousReplicas));
        Assert.Equal((0, "4"), Read("Deployment", "api"));
    }

    [Fact]
    public async Task A_workload_at_zero_without_the_annotation_records_zero_and_says_so()
    {
        var idle = One(await StandbyAsync(), "idle");

        Assert.Equal((StandbyAction.ScaledDown, 0, 0), (idle.Action, idle.RecordedReplicas, idle.PreviousReplicas));
        Assert.Contains("0 is recorded", idle.Message);
        Assert.Equal((0, "0"), Read("Deployment", "idle"));
    }

    [Fact]
    public async Task A_non_numeric_annotation_fails_the_workload_and_leaves_it_alone()
    {
        var results = await StandbyAsync();

        var broken = One(results, "broken");
        Assert.Equal((StandbyAction.Failed, ErrorIds.StandbyAnnotationInvalid, (int?)null), (broken.Action, broken.ErrorId, broken.RecordedReplicas));
        Assert.Contains("prod/broken", broken.Message);
        Assert.Contains("'three'", broken.Message);
        Assert.Equal((2, "three"), Read("Deployment", "broken"));
        Assert.Equal((0, "3"), Read("Deployment", "web"));
    }

    [Fact]
    public async Task The_prefix_names_the_annotation()
    {
        var results = await StandbyAsync(prefix: "kubebackup.io/");

        Assert.All(results, r => Assert.Equal("kubebackup.io/original-replicas", r.Annotation));
        Assert.Equal((0, "3"), Read("Deployment", "web", "kubebackup.io/original-replicas"));
        Assert.Equal((0, (string?)null), Read("Deployment", "web"));
        // The seed's annotation is not read under another prefix, so "three" does not matter.
        Assert.Equal(StandbyAction.ScaledDown, One(results, "broken").Action);
    }

    [Fact]
    public async Task A_namespace_without_workloads_plans_nothing_and_a_missing_one_is_NamespaceNotFound()
    {
        Assert.Empty(await StandbyAsync("empty"));
        var e = await Assert.ThrowsAsync<KbException>(() => StandbyAsync("nope"));
        Assert.Equal(ErrorIds.NamespaceNotFound, e.ErrorId);
    }
}
