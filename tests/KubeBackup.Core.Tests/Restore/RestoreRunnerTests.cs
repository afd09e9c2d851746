using System.Text.Json.Nodes;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Restore;

namespace KubeBackup.Core.Tests.Restore;

/// <summary>Restores of the shop into an empty cluster and back into its own: what is created, skipped and recorded.</summary>
public sealed class RestoreRunnerTests : RestoreTestKit
{
    [Fact]
    public async Task AFullRestoreIntoAnEmptyClusterCreatesEveryObjectAndRecordsIt()
    {
        await BackupAsync("full");

        var summary = await RestoreAsync(Target, "first", new RestoreSpec { BackupName = "full" });

        Assert.Equal(RestorePhase.Completed, summary.Phase);
        Assert.Equal(0, summary.Failed);
        Assert.True(summary.Created > 10, $"created {summary.Created}");
        foreach (var (apiVersion, kind, ns, name) in new[]
        {
            ("v1", "Namespace", (string?)null, "production"), ("apps/v1", "Deployment", "production", "web"), ("v1", "ConfigMap", "production", "web-config"),
            ("v1", "Secret", "production", "db-password"), ("v1", "PersistentVolume", null, "pv-mysql"), ("v1", "PersistentVolumeClaim", "production", "mysql-data"),
            ("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "widgets.example.com"), ("example.com/v1", "Widget", "production", "gadget"),
            ("rbac.authorization.k8s.io/v1", "ClusterRole", null, "shop-reader"),
        })
        {
            var live = Live(Target, apiVersion, kind, ns, name);
            Assert.True(live is not null, $"{kind} {ns}/{name} was not restored");
            Assert.True(live!["metadata"]?["labels"] is not null, $"{kind} {ns}/{name} has no labels: {live.ToJsonString()}");
            Assert.Equal("first", (string?)live["metadata"]!["labels"]![RestoreLabels.RestoreName]);
            Assert.Equal("full", (string?)live["metadata"]!["labels"]![RestoreLabels.BackupName]);
        }
        Assert.Equal("s3cret", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)Live(Target, "v1", "Secret", "production", "db-password")!["data"]!["password"]!)));

        var stored = RestoreRecordJson.Parse("first", (await Repo.GetRestoreFileAsync("first", RestoreRecordJson.RecordFile))!, null);
        Assert.Equal(RestorePhase.Completed, stored.Phase);
        Assert.Equal("full", stored.BackupName);
        Assert.Equal(summary.Created, stored.Created);
        var items = await ItemResultsAsync("first");
        Assert.Equal(summary.ItemsTotal, items.Count);
        Assert.Contains(items, i => i.Resource == "deployments" && i.Name == "web" && i.Outcome == RestoreOutcome.Created);
        // Custom resources come after their CRD, namespaces before what is in them.
        Assert.True(items.FindIndex(i => i.Resource == "customresourcedefinitions") < items.FindIndex(i => i.Resource == "widgets"));
        Assert.True(items.FindIndex(i => i.Resource == "namespaces") < items.FindIndex(i => i.Resource == "configmaps"));
    }

    [Fact]
    public async Task PodsAndReplicaSetsOfARestoredDeploymentAreLeftToIt()
    {
        // What the Deployment controller makes (the emulator's controllers keep status only): a ReplicaSet, and its pod.
        var web = Live(Emulator, "apps/v1", "Deployment", "production", "web")!;
        var replicaSet = Emulator.Cluster.Create(Owned("""
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "web-5d4f8", "namespace": "production", "labels": {"app": "web"}},
             "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}}
            """, web));
        Emulator.Cluster.Create(Owned("""
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-5d4f8-x2x9q", "namespace": "production", "labels": {"app": "web"}},
             "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}
            """, replicaSet));
        Emulator.Cluster.Create(JsonNode.Parse("""
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "debug", "namespace": "production"}, "spec": {"containers": [{"name": "sh", "image": "busybox"}]}}
            """)!.AsObject());
        await BackupAsync("full");

        await RestoreAsync(Target, "first", new RestoreSpec { BackupName = "full" });

        var items = await ItemResultsAsync("first");
        var owned = items.Where(i => i.Name.StartsWith("web-5d4f8", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, owned.Count);
        Assert.All(owned, p =>
        {
            Assert.Equal(RestoreOutcome.Skipped, p.Outcome);
            Assert.Contains("left to its controller", p.Reason, StringComparison.Ordinal);
        });
        Assert.Null(Live(Target, "v1", "Pod", "production", "web-5d4f8-x2x9q"));
        // A pod no restored controller owns is restored.
        Assert.Equal(RestoreOutcome.Created, items.Single(i => i.Name == "debug").Outcome);
    }

    [Fact]
    public async Task RunningTheSameRestoreAgainConvergesWithoutDuplicates()
    {
        await BackupAsync("full");
        await RestoreAsync(Target, "first", new RestoreSpec { BackupName = "full" });
        var configMaps = Target.Cluster.List("v1", "ConfigMap").Count;

        var again = await RestoreAsync(Target, "second", new RestoreSpec { BackupName = "full" });

        Assert.Equal(RestorePhase.Completed, again.Phase);
        Assert.Equal(0, again.Created);
        Assert.Equal(0, again.Failed);
        Assert.Equal(configMaps, Target.Cluster.List("v1", "ConfigMap").Count);
        var items = await ItemResultsAsync("second");
        Assert.Contains(items, i => i.Name == "web-config" && i.Outcome == RestoreOutcome.Skipped && i.Action == RestoreAction.SkipExistsEqual);
    }

    [Fact]
    public async Task DeletingARestoreRemovesItsRecordItemsAndLogAndLeavesTheOthers()
    {
        await BackupAsync("full");
        await RestoreAsync(Target, "first", new RestoreSpec { BackupName = "full" });
        await RestoreAsync(Target, "second", new RestoreSpec { BackupName = "full" });

        await RestoreRecords.DeleteAsync(Repo, "first", default);

        foreach (var file in new[] { RestoreRecordJson.RecordFile, RestoreRecordJson.ItemsFile, RestoreRecordJson.LogFile })
        {
            Assert.Null(await Repo.GetRestoreFileAsync("first", file));
            Assert.NotNull(await Repo.GetRestoreFileAsync("second", file));
        }
        Assert.Equal(["second"], await Repo.ListRestoresAsync());
        var again = await Assert.ThrowsAsync<KbException>(() => RestoreRecords.DeleteAsync(Repo, "first", default));
        Assert.Equal(ErrorIds.RestoreNotFound, again.ErrorId);
        Assert.NotNull(Target.Cluster.Get("v1", "ConfigMap", "production", "web-config"));
    }

    [Fact]
    public async Task ObjectsNamedByGenerateNameAreRestoredUnderTheirNameAndNeverDuplicated()
    {
        var generated = Emulator.Cluster.Create(JsonNode.Parse("""
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "job-output-", "namespace": "production"}, "data": {"rows": "42"}}
            """)!.AsObject());
        var name = (string)generated["metadata"]!["name"]!;
        await BackupAsync("full");

        await RestoreAsync(Target, "first", new RestoreSpec { BackupName = "full", IncludedNamespaces = ["production"] });
        await RestoreAsync(Target, "second", new RestoreSpec { BackupName = "full", IncludedNamespaces = ["production"] });

        var copies = Target.Cluster.List("v1", "ConfigMap", "production").Where(c => ((string?)c["metadata"]!["name"])!.StartsWith("job-output-", StringComparison.Ordinal)).ToList();
        Assert.Equal(name, (string?)Assert.Single(copies)["metadata"]!["name"]);
        Assert.Equal(RestoreAction.SkipExistsEqual, (await ItemResultsAsync("second")).Single(i => i.Name == name).Action);
    }

    [Fact]
    public async Task ANamespaceMappingRestoresIntoAnotherNamespaceOfTheSameCluster()
    {
        await BackupAsync("full");

        var summary = await RestoreAsync(Emulator, "mapped", new RestoreSpec
        {
            BackupName = "full",
            IncludedNamespaces = ["production"],
            NamespaceMapping = new Dictionary<string, string> { ["production"] = "production-restored" },
        });

        Assert.Equal(0, summary.Failed);
        var ns = Live(Emulator, "v1", "Namespace", null, "production-restored");
        Assert.NotNull(ns);
        Assert.Equal("production", (string?)ns!["metadata"]!["labels"]!["env"]);
        Assert.Equal("blue", (string?)Live(Emulator, "v1", "ConfigMap", "production-restored", "web-config")!["data"]!["color"]);
        Assert.NotNull(Live(Emulator, "example.com/v1", "Widget", "production-restored", "gadget"));
        Assert.Null(Live(Emulator, "v1", "ConfigMap", "production-restored", "staging-config"));
        // The original namespace is untouched, and unrelated cluster objects were not restored.
        Assert.Null(Live(Emulator, "v1", "ConfigMap", "production", "web-config")!["metadata"]!["labels"]![RestoreLabels.RestoreName]);
        var items = await ItemResultsAsync("mapped");
        Assert.DoesNotContain(items, i => i.Name == "pv-unrelated" || i.Name == "shop-reader");
    }

    [Fact]
    public async Task SelectorsAndResourceFiltersChooseWhatIsRestored()
    {
        await BackupAsync("full");

        await RestoreAsync(Target, "web", new RestoreSpec { BackupName = "full", LabelSelector = "app=web", ExcludedResources = ["deploy"] });

        Assert.NotNull(Live(Target, "v1", "ConfigMap", "production", "web-config"));
        Assert.NotNull(Live(Target, "v1", "ConfigMap", "staging", "staging-config"));
        Assert.Null(Live(Target, "apps/v1", "Deployment", "production", "web"));
        Assert.Null(Live(Target, "v1", "Secret", "production", "db-password"));
        Assert.Null(Live(Target, "v1", "ConfigMap", "tools", "tool-config"));
        // Namespaces come with what is restored into them, whatever the filters.
        Assert.NotNull(Live(Target, "v1", "Namespace", null, "production"));
        Assert.Null(Live(Target, "v1", "Namespace", null, "tools"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task IncludeClusterResourcesHasVeleroMeaningWithANamespaceFilter(bool include)
    {
        await BackupAsync("full");

        var summary = await RestoreAsync(Target, "cluster", new RestoreSpec { BackupName = "full", IncludedNamespaces = ["production"], IncludeClusterResources = include });

        Assert.Equal(include, Live(Target, "rbac.authorization.k8s.io/v1", "ClusterRole", null, "shop-reader") is not null);
        Assert.Equal(include, Live(Target, "v1", "PersistentVolume", null, "pv-unrelated") is not null);
        Assert.Equal(include, Live(Target, "apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "widgets.example.com") is not null);
        var widget = (await ItemResultsAsync("cluster")).Single(i => i.Resource == "widgets");
        if (include)
        {
            Assert.Equal(RestoreOutcome.Created, widget.Outcome);
            Assert.Equal(RestorePhase.Completed, summary.Phase);
        }
        else
        {
            // Without its CRD the target serves no widgets: the item says so, and nothing else fails.
            Assert.Equal(RestoreAction.Invalid, widget.Action);
            Assert.Contains("serves no widgets.example.com", widget.Reason);
            Assert.Equal(1, summary.Failed);
        }
    }

    [Fact]
    public async Task UpdatePolicyPatchesObjectsThatDifferAndSkipLeavesThem()
    {
        await BackupAsync("full");
        await RestoreAsync(Target, "first", new RestoreSpec { BackupName = "full" });
        ChangeColor(Target, "production", "web-config", "red");

        var skip = await RestoreAsync(Target, "skip", new RestoreSpec { BackupName = "full", IncludedNamespaces = ["production"] });
        var skipped = (await ItemResultsAsync("skip")).Single(i => i.Name == "web-config");
        Assert.Equal(RestoreAction.SkipExistsDiffers, skipped.Action);
        Assert.Contains("data.color", skipped.ChangedFields);
        Assert.Equal("red", (string?)Live(Target, "v1", "ConfigMap", "production", "web-config")!["data"]!["color"]);
        Assert.Equal(RestorePhase.Completed, skip.Phase);

        var update = await RestoreAsync(Target, "update", new RestoreSpec { BackupName = "full", IncludedNamespaces = ["production"], ExistingResourcePolicy = ExistingResourcePolicy.Update });
        Assert.Equal(1, update.Updated);
        Assert.Equal("blue", (string?)Live(Target, "v1", "ConfigMap", "production", "web-config")!["data"]!["color"]);
    }

    [Fact]
    public async Task ThePlanJudgesEveryItemAgainstTheLiveClusterAndWritesNothing()
    {
        await BackupAsync("full");
        await RestoreAsync(Target, "first", new RestoreSpec { BackupName = "full" });
        ChangeColor(Target, "production", "web-config", "red");
        Target.Cluster.Delete("v1", "Secret", "production", "db-password");
        var before = Target.Cluster.List("v1", "ConfigMap").Select(c => (string?)c["metadata"]!["resourceVersion"]).ToList();

        var plan = await RestoreRunner(Target).PlanAsync(Repo, new RestoreSpec { BackupName = "full" }, RestoreNamed("plan"), CancellationToken.None);

        Assert.Equal(RestoreAction.SkipExistsDiffers, plan.Single(i => i.Name == "web-config").Action);
        Assert.Equal(RestoreAction.Create, plan.Single(i => i.Name == "db-password").Action);
        Assert.Equal(RestoreAction.SkipExistsEqual, plan.Single(i => i.Resource == "deployments" && i.Name == "web").Action);
        Assert.All(plan, i => Assert.Null(i.Outcome));
        Assert.Null(Live(Target, "v1", "Secret", "production", "db-password"));
        Assert.Equal(before, Target.Cluster.List("v1", "ConfigMap").Select(c => (string?)c["metadata"]!["resourceVersion"]).ToList());
        Assert.Null(await Repo.GetRestoreFileAsync("plan", RestoreRecordJson.RecordFile));
    }

    [Fact]
    public async Task ADamagedItemFailsWithItsReasonAndTheRestRestores()
    {
        await BackupAsync("full");
        var reader = await Repo.OpenBackupAsync("full");
        var victim = (await reader.GetManifestAsync()).Single(e => e.Key.Name == "web-config");
        var pack = Path.Combine(Inner.RootDirectory, RepositoryLayout.Pack(victim.Blobs[0].PackId));
        var bytes = await File.ReadAllBytesAsync(pack);
        bytes[victim.Blobs[0].Offset + victim.Blobs[0].Length - 1] ^= 0x10;
        await File.WriteAllBytesAsync(pack, bytes);

        var summary = await RestoreAsync(Target, "damaged", new RestoreSpec { BackupName = "full" });

        Assert.Equal(RestorePhase.PartiallyFailed, summary.Phase);
        Assert.Equal(1, summary.Failed);
        var failed = (await ItemResultsAsync("damaged")).Single(i => i.Outcome == RestoreOutcome.Failed);
        Assert.Equal("web-config", failed.Name);
        Assert.Contains("damaged", failed.Reason);
        Assert.Contains("web-config", summary.FailureReason);
        Assert.NotNull(Live(Target, "v1", "ConfigMap", "production", "staging-config") ?? Live(Target, "v1", "ConfigMap", "staging", "staging-config"));
        Assert.Null(Live(Target, "v1", "ConfigMap", "production", "web-config"));
    }

    [Fact]
    public async Task ThrottlingAndServerErrorsDuringCreatesAreRetried()
    {
        await BackupAsync("full");
        var throttle = Target.Faults.Add(KubeApiEmulator.Faults.FaultRule.Throttle("create", "configmaps", retryAfterSeconds: 0, maxCount: 3));
        var error = Target.Faults.Add(KubeApiEmulator.Faults.FaultRule.ServerError("create", "secrets", maxCount: 2));

        var summary = await RestoreAsync(Target, "retried", new RestoreSpec { BackupName = "full" });

        Assert.Equal(RestorePhase.Completed, summary.Phase);
        Assert.Equal(3, Target.Faults.InjectedCount(throttle));
        Assert.Equal(2, Target.Faults.InjectedCount(error));
        Assert.NotNull(Live(Target, "v1", "ConfigMap", "production", "web-config"));
        Assert.NotNull(Live(Target, "v1", "Secret", "production", "db-password"));
    }

    [Fact]
    public async Task AnInvalidMappingOrAMissingBackupStopsBeforeAnythingIsWritten()
    {
        await BackupAsync("full");

        var invalid = await Assert.ThrowsAsync<KbException>(() => RestoreAsync(Target, "bad", new RestoreSpec
        {
            BackupName = "full",
            NamespaceMapping = new Dictionary<string, string> { ["production"] = "Production_Restored" },
        }));
        Assert.Equal(ErrorIds.NamespaceMappingInvalid, invalid.ErrorId);
        Assert.Contains("Production_Restored", invalid.Message);
        var twoToOne = await Assert.ThrowsAsync<KbException>(() => RestoreAsync(Target, "bad", new RestoreSpec
        {
            BackupName = "full",
            NamespaceMapping = new Dictionary<string, string> { ["production"] = "x", ["staging"] = "x" },
        }));
        Assert.Equal(ErrorIds.NamespaceMappingInvalid, twoToOne.ErrorId);
        var missing = await Assert.ThrowsAsync<KbException>(() => RestoreAsync(Target, "bad", new RestoreSpec { BackupName = "nope" }));
        Assert.Equal(ErrorIds.BackupNotFound, missing.ErrorId);

        Assert.Null(Live(Target, "v1", "Namespace", null, "production"));
        Assert.Null(await Repo.GetRestoreFileAsync("bad", RestoreRecordJson.RecordFile));
    }

    [Fact]
    public async Task AServiceWhoseClusterIpIsTakenInTheTargetGetsANewOne()
    {
        Emulator.Cluster.LoadYaml("""
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: production}
            spec: {clusterIP: 10.96.0.50, ports: [{port: 80, targetPort: 8080}], selector: {app: web}}
            """);
        Target.Cluster.LoadYaml("""
            apiVersion: v1
            kind: Service
            metadata: {name: squatter, namespace: default}
            spec: {clusterIP: 10.96.0.50, ports: [{port: 80}]}
            """);
        await BackupAsync("full");

        var summary = await RestoreAsync(Target, "ips", new RestoreSpec { BackupName = "full", IncludedNamespaces = ["production"] });

        Assert.Equal(0, summary.Failed);
        var restored = Live(Target, "v1", "Service", "production", "web")!;
        Assert.NotEqual("10.96.0.50", (string?)restored["spec"]!["clusterIP"]);
        Assert.False(string.IsNullOrEmpty((string?)restored["spec"]!["clusterIP"]));
    }

    [Fact]
    public async Task ATerminatingTargetNamespaceIsAwaitedAndOneThatStaysFailsItsItems()
    {
        await BackupAsync("full");
        await RestoreAsync(Target, "first", new RestoreSpec { BackupName = "full", IncludedNamespaces = ["staging"] });
        Target.Controllers.Namespaces = false;
        Target.Cluster.Delete("v1", "Namespace", null, "staging");

        var stuck = await RestoreAsync(Target, "stuck", new RestoreSpec { BackupName = "full", IncludedNamespaces = ["staging"] },
            RestoreNamed("stuck") with { WaitTimeout = TimeSpan.FromSeconds(1) });
        Assert.Equal(RestorePhase.PartiallyFailed, stuck.Phase);
        var failed = (await ItemResultsAsync("stuck")).Where(i => i.Outcome == RestoreOutcome.Failed).ToList();
        Assert.Contains(failed, i => i.Name == "staging-config" && i.Reason!.Contains("terminating"));

        var release = Task.Run(async () =>
        {
            await Task.Delay(500);
            Target.Controllers.NamespaceDeletionDelay = TimeSpan.Zero;
            Target.Controllers.Namespaces = true;
        });
        var waited = await RestoreAsync(Target, "waited", new RestoreSpec { BackupName = "full", IncludedNamespaces = ["staging"] },
            RestoreNamed("waited") with { WaitTimeout = TimeSpan.FromSeconds(20) });
        await release;
        Assert.Equal(RestorePhase.Completed, waited.Phase);
        Assert.NotNull(Live(Target, "v1", "ConfigMap", "staging", "staging-config"));
    }

    [Fact]
    public async Task CancellationRecordsAFailedRestoreAndARerunCompletesIt()
    {
        await BackupAsync("full");
        Target.Faults.Add(KubeApiEmulator.Faults.FaultRule.Delay(TimeSpan.FromSeconds(3), "create", "configmaps"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(1500));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RestoreAsync(Target, "cancelled", new RestoreSpec { BackupName = "full" }, cancellationToken: cancel.Token));

        var record = RestoreRecordJson.Parse("cancelled", (await Repo.GetRestoreFileAsync("cancelled", RestoreRecordJson.RecordFile))!, null);
        Assert.Equal(RestorePhase.Failed, record.Phase);
        Assert.Contains("Cancelled", record.FailureReason);
        Target.Faults.Clear();
        var rerun = await RestoreAsync(Target, "rerun", new RestoreSpec { BackupName = "full" });
        Assert.Equal(RestorePhase.Completed, rerun.Phase);
        Assert.Single(Target.Cluster.List("v1", "ConfigMap", "production"), c => (string?)c["metadata"]!["name"] == "web-config");
    }

    [Fact]
    public async Task InstancesOfACrdThatNeverBecomesEstablishedFailWithItsCondition()
    {
        // Another CRD of the group already holds the kind Widget: the restored one is refused its names, as on a real server.
        Target.Cluster.LoadYaml("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gizmos.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: gizmos, singular: gizmo, kind: Widget, listKind: GizmoList}
              versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
            """);
        await BackupAsync("full");

        var summary = await RestoreAsync(Target, "crd", new RestoreSpec { BackupName = "full" }, RestoreNamed("crd") with { WaitTimeout = TimeSpan.FromSeconds(1) });

        Assert.Equal(RestorePhase.PartiallyFailed, summary.Phase);
        var widget = (await ItemResultsAsync("crd")).Single(i => i.Resource == "widgets");
        Assert.Equal(RestoreOutcome.Failed, widget.Outcome);
        Assert.Contains("did not become Established", widget.Reason);
        Assert.Contains("KindConflict", widget.Reason);
        Assert.NotNull(Live(Target, "v1", "ConfigMap", "production", "web-config"));
    }

    [Fact]
    public async Task RestoreStatusWritesTheStatusOfChosenTypesThroughTheSubresource()
    {
        for (var i = 0; i < 100 && (int?)Live(Emulator, "apps/v1", "Deployment", "production", "web")!["status"]?["readyReplicas"] != 2; i++)
        {
            await Task.Delay(50);
        }
        await BackupAsync("full");
        Target.Controllers.Workloads = false;

        await RestoreAsync(Target, "status", new RestoreSpec { BackupName = "full", IncludedNamespaces = ["production"], RestoreStatusIncludedResources = ["deployments"] });

        Assert.Equal(2, (int?)Live(Target, "apps/v1", "Deployment", "production", "web")!["status"]!["readyReplicas"]);
        var item = (await ItemResultsAsync("status")).Single(i => i.Resource == "deployments");
        Assert.Equal("Created, with its status.", item.Reason);
    }

    private static JsonObject Owned(string json, JsonObject owner)
    {
        var item = JsonNode.Parse(json)!.AsObject();
        item["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = (string?)owner["apiVersion"],
            ["kind"] = (string?)owner["kind"],
            ["name"] = (string?)owner["metadata"]!["name"],
            ["uid"] = (string?)owner["metadata"]!["uid"],
            ["controller"] = true,
        });
        return item;
    }

    private static void ChangeColor(KubeApiEmulator.EmulatorServer cluster, string ns, string name, string color)
    {
        var map = cluster.Cluster.Get("v1", "ConfigMap", ns, name)!;
        map["data"]!["color"] = color;
        cluster.Cluster.Put(map);
    }
}
