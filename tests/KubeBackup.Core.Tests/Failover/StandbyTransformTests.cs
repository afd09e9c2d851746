using System.Text.Json.Nodes;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Restore.Transforms;
using static KubeBackup.Core.Tests.Restore.Transforms.TransformTestKit;

namespace KubeBackup.Core.Tests.Failover;

/// <summary>Restores in standby form (RestoreContext.StandbyAnnotation) through RestoreTransform.Prepare.</summary>
public sealed class StandbyTransformTests
{
    private const string Annotation = "original-replicas";

    private static readonly ItemKey DeploymentKey = new("apps", "v1", "deployments", "shop", "web");
    private static readonly ItemKey StatefulSetKey = new("apps", "v1", "statefulsets", "shop", "db");
    private static readonly ItemKey ReplicaSetKey = new("apps", "v1", "replicasets", "shop", "loose");
    private static readonly ItemKey PodKey = new("", "v1", "pods", "shop", "debug");

    private static RestoreContext Standby(string? annotation = Annotation) => new()
    {
        BackupName = "nightly-20261124",
        RestoreName = "nightly-20261124-standby",
        StandbyAnnotation = annotation,
    };

    private static JsonObject Workload(string kind, string name, int? replicas, string? annotations = null) => Parse($$"""
        {
          "apiVersion": "apps/v1", "kind": "{{kind}}",
          "metadata": { "name": "{{name}}", "namespace": "shop", "uid": "u-{{name}}", "resourceVersion": "12"{{(annotations is null ? "" : $", \"annotations\": {annotations}")}} },
          "spec": {
            {{(replicas is { } r ? $"\"replicas\": {r}," : "")}}
            "selector": { "matchLabels": { "app": "{{name}}" } },
            "template": { "metadata": { "labels": { "app": "{{name}}" } }, "spec": { "containers": [ { "name": "c", "image": "nginx" } ] } }
          },
          "status": { "replicas": {{replicas ?? 1}}, "readyReplicas": {{replicas ?? 1}} }
        }
        """);

    private static (int? Replicas, string? Annotation) Read(JsonObject created, string annotation = Annotation) =>
        ((int?)created["spec"]?["replicas"], (string?)created["metadata"]?["annotations"]?[annotation]);

    [Fact]
    public void A_Deployment_is_created_at_zero_with_its_backed_up_replicas_in_the_annotation()
    {
        var created = Created(DeploymentKey, Workload("Deployment", "web", 3), Standby());

        Assert.Equal((0, "3"), Read(created));
        Assert.False(created.ContainsKey("status"));
    }

    [Fact]
    public void A_StatefulSet_is_created_at_zero_with_its_backed_up_replicas_in_the_annotation()
    {
        var created = Created(StatefulSetKey, Workload("StatefulSet", "db", 2), Standby());

        Assert.Equal((0, "2"), Read(created));
    }

    [Fact]
    public void A_workload_at_zero_records_zero()
    {
        Assert.Equal((0, "0"), Read(Created(DeploymentKey, Workload("Deployment", "web", 0), Standby())));
    }

    [Fact]
    public void Unset_replicas_record_one_as_the_api_server_defaults_them()
    {
        Assert.Equal((0, "1"), Read(Created(DeploymentKey, Workload("Deployment", "web", null), Standby())));
        Assert.Equal((0, "1"), Read(Created(StatefulSetKey, Workload("StatefulSet", "db", null), Standby())));
    }

    [Fact]
    public void A_valid_count_the_backup_recorded_already_is_kept()
    {
        // The primary was itself a standby when it was backed up: its real count is the annotation, not the 0 replicas.
        var created = Created(DeploymentKey, Workload("Deployment", "web", 0, """{ "original-replicas": "5", "team": "shop" }"""), Standby());

        Assert.Equal((0, "5"), Read(created));
        Assert.Equal("shop", (string?)created["metadata"]!["annotations"]!["team"]);
    }

    [Theory]
    [InlineData("three")]
    [InlineData("-1")]
    [InlineData("")]
    [InlineData("2.5")]
    public void An_invalid_annotation_in_the_backup_is_replaced_by_the_replicas(string invalid)
    {
        var created = Created(StatefulSetKey, Workload("StatefulSet", "db", 2, $$"""{ "original-replicas": "{{invalid}}" }"""), Standby());

        Assert.Equal((0, "2"), Read(created));
    }

    [Fact]
    public void Other_kinds_are_left_as_backed_up()
    {
        var replicaSet = Created(ReplicaSetKey, Workload("ReplicaSet", "loose", 3), Standby());
        Assert.Equal((3, (string?)null), Read(replicaSet));

        var pod = Created(PodKey, Parse("""
            { "apiVersion": "v1", "kind": "Pod", "metadata": { "name": "debug", "namespace": "shop" },
              "spec": { "containers": [ { "name": "sh", "image": "busybox" } ] } }
            """), Standby());
        Assert.Null(pod["metadata"]?["annotations"]?[Annotation]);
        Assert.Null(pod["spec"]!["replicas"]);
    }

    [Fact]
    public void Without_a_standby_annotation_workloads_are_restored_as_backed_up()
    {
        var deployment = Created(DeploymentKey, Workload("Deployment", "web", 3), Standby(null));
        Assert.Equal((3, (string?)null), Read(deployment));
        Assert.Null(deployment["metadata"]!["annotations"]);

        var statefulSet = Created(StatefulSetKey, Workload("StatefulSet", "db", 2, """{ "original-replicas": "7" }"""), Standby(null));
        Assert.Equal((2, "7"), Read(statefulSet));
    }

    [Fact]
    public void A_custom_prefix_names_the_annotation_and_the_seed_annotation_is_not_read()
    {
        const string prefixed = "kubebackup.io/original-replicas";
        var created = Created(DeploymentKey, Workload("Deployment", "web", 3, """{ "original-replicas": "9" }"""), Standby(prefixed));

        Assert.Equal((0, "3"), Read(created, prefixed));
        // The seed's annotation is another one under this prefix: left as it was.
        Assert.Equal("9", (string?)created["metadata"]!["annotations"]![Annotation]);
    }
}
