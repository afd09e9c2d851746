using System.Text.Json.Nodes;
using KubeBackup.Core.Repository;
using static KubeBackup.Core.Tests.Restore.Transforms.TransformTestKit;

namespace KubeBackup.Core.Tests.Restore.Transforms;

public sealed class JobTransformTests
{
    private static readonly ItemKey Key = new("batch", "v1", "jobs", "shop", "migrate");

    private const string Uid = "5f0c9a1e-3333-4c1d-a2b3-9e8d7c6b5a40";

    private static JsonObject Job(bool manualSelector = false) => Parse($$"""
        {
          "apiVersion": "batch/v1", "kind": "Job",
          "metadata": {
            "labels": { "batch.kubernetes.io/controller-uid": "{{Uid}}", "batch.kubernetes.io/job-name": "migrate", "controller-uid": "{{Uid}}", "job-name": "migrate" },
            "name": "migrate", "namespace": "shop", "uid": "{{Uid}}", "resourceVersion": "4410", "generation": 1
          },
          "spec": {
            "backoffLimit": 6, "completionMode": "NonIndexed", "completions": 1, {{(manualSelector ? "\"manualSelector\": true," : "")}}
            "parallelism": 1,
            "selector": { "matchLabels": { "batch.kubernetes.io/controller-uid": "{{Uid}}" } },
            "suspend": false,
            "template": {
              "metadata": { "labels": { "batch.kubernetes.io/controller-uid": "{{Uid}}", "batch.kubernetes.io/job-name": "migrate", "controller-uid": "{{Uid}}", "job-name": "migrate" } },
              "spec": { "containers": [ { "name": "migrate", "image": "shop/migrate:2.1" } ], "restartPolicy": "Never" }
            }
          },
          "status": { "active": 1, "ready": 0, "startTime": "2026-11-23T22:00:00Z", "uncountedTerminatedPods": {} }
        }
        """);

    [Fact]
    public void GeneratedSelectorAndUidLabelsAreLeftToTheApiServer()
    {
        var created = Created(Key, Job(), Context());
        var spec = created["spec"]!.AsObject();
        Assert.False(spec.ContainsKey("selector"));
        AssertJson("""{ "batch.kubernetes.io/job-name": "migrate", "job-name": "migrate" }""", spec["template"]!["metadata"]!["labels"]);
        AssertJson("""
            { "batch.kubernetes.io/job-name": "migrate", "job-name": "migrate",
              "kubebackup.io/backup-name": "nightly-20261124", "kubebackup.io/restore-name": "nightly-20261124-restore" }
            """, created["metadata"]!["labels"]);
        Assert.False(created.ContainsKey("status"));
    }

    [Fact]
    public void AManualSelectorIsKept()
    {
        var spec = Created(Key, Job(manualSelector: true), Context())["spec"]!;
        Assert.Equal(Uid, Text(spec["selector"]!["matchLabels"]!["batch.kubernetes.io/controller-uid"]));
        Assert.Equal(Uid, Text(spec["template"]!["metadata"]!["labels"]!["controller-uid"]));
    }

    [Fact]
    public void JobsOfARestoredCronJobAreLeftToIt()
    {
        var job = Job();
        job["metadata"]!["ownerReferences"] = JsonNode.Parse("""[ { "apiVersion": "batch/v1", "kind": "CronJob", "name": "nightly-migrate", "uid": "c1", "controller": true, "blockOwnerDeletion": true } ]""");
        var reason = Skipped(Key, job, Context(isRestored: (a, k, n, name) => (a, k, n, name) == ("batch/v1", "CronJob", "shop", "nightly-migrate")));
        Assert.Equal("left to its controller CronJob 'nightly-migrate', which this restore also restores", reason);
    }
}
