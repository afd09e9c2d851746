using System.Text.Json.Nodes;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Tests.Backup;

/// <summary>What a backup takes: discovery, Velero's filters and cluster-scoped rules, records and lineage.</summary>
public sealed class BackupRunnerTests : BackupTestKit
{
    [Fact]
    public async Task TakesEveryServedTypeWithCustomResourcesOnceAndCompletes()
    {
        var summary = await BackupAsync("full");

        Assert.Equal(BackupPhase.Completed, summary.Phase);
        var items = await ItemsAsync("full");
        Assert.Contains("deployments.apps production/web", items);
        Assert.Contains("secrets production/db-password", items);
        Assert.Contains("widgets.example.com production/gadget", items);
        Assert.Contains("customresourcedefinitions.apiextensions.k8s.io widgets.example.com", items);
        Assert.Contains("clusterroles.rbac.authorization.k8s.io shop-reader", items);
        Assert.Contains("persistentvolumes pv-unrelated", items);
        Assert.Contains("namespaces production", items);
        Assert.DoesNotContain(items, i => i.StartsWith("events ", StringComparison.Ordinal));
        Assert.Equal(items.Count, items.Distinct().Count());
        Assert.Equal(items.Count, summary.ItemsBackedUp);
        Assert.Equal(summary.ItemsTotal, summary.ItemsBackedUp);
        Assert.Equal(1, summary.ResourceCounts["deployments.apps"]);
        Assert.Equal("test", summary.StorageLocation);
        Assert.True(summary.SizeAdded > 0 && summary.Size > 0);
        Assert.Equal(summary.Started + TimeSpan.FromDays(30), summary.Expires);
        Assert.Null(summary.Parent);
    }

    [Fact]
    public async Task StoredObjectsCarryTheirTypeAndNoManagedFields()
    {
        await BackupAsync("typed");

        var deployment = await ItemAsync("typed", "deployments", "production", "web");
        Assert.Equal("apps/v1", (string?)deployment["apiVersion"]);
        Assert.Equal("Deployment", (string?)deployment["kind"]);
        Assert.Null(deployment["metadata"]!["managedFields"]);
        Assert.Equal(2, (int?)deployment["spec"]!["replicas"]);
    }

    [Fact]
    public async Task NamespaceFiltersTakeWildcardsAndExclusionsWin()
    {
        var summary = await BackupAsync("ns", new BackupSpec { IncludedNamespaces = ["prod*", "staging"], ExcludedNamespaces = ["staging"] });

        var items = await ItemsAsync("ns");
        Assert.Contains("configmaps production/web-config", items);
        Assert.DoesNotContain(items, i => i.Contains(" staging/", StringComparison.Ordinal) || i.Contains(" tools/", StringComparison.Ordinal));
        Assert.Contains("namespaces production", items);
        Assert.DoesNotContain("namespaces staging", items);
        Assert.Equal(BackupPhase.Completed, summary.Phase);
    }

    [Fact]
    public async Task UnknownNamespacesAndResourcesAreWarningsNamingThem()
    {
        var summary = await BackupAsync("typos", new BackupSpec
        {
            IncludedNamespaces = ["production", "prodution", "nothing-*"],
            IncludedResources = ["configmaps", "deploymnets"],
            ExcludedResources = ["widgetz"],
        });

        Assert.Equal(BackupPhase.Completed, summary.Phase);
        Assert.Equal(4, summary.Warnings);
        Assert.Contains(summary.Problems, p => p.Target == "prodution" && p.Message.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(summary.Problems, p => p.Target == "nothing-*" && p.Message.Contains("matches no namespace", StringComparison.Ordinal));
        Assert.Contains(summary.Problems, p => p.Target == "deploymnets" && p.Message.Contains("no resource type", StringComparison.Ordinal));
        Assert.Contains(summary.Problems, p => p.Target == "widgetz");
        Assert.Contains(Sink.Warnings, w => w.Contains("prodution", StringComparison.Ordinal));
        Assert.Contains("configmaps production/web-config", await ItemsAsync("typos"));
    }

    [Theory]
    [InlineData("deployments")]
    [InlineData("deployments.apps")]
    [InlineData("deploy")]
    [InlineData("Deployment")]
    public async Task ResourceFiltersAcceptTheFormsKubectlAccepts(string name)
    {
        await BackupAsync("res", new BackupSpec { IncludedNamespaces = ["production"], IncludedResources = [name] });

        var items = await ItemsAsync("res");
        Assert.Contains("deployments.apps production/web", items);
        Assert.DoesNotContain(items, i => i.StartsWith("configmaps", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExcludedResourcesAreLeftOutInBothForms()
    {
        await BackupAsync("ex", new BackupSpec { ExcludedResources = ["events", "events.events.k8s.io", "secrets", "widgets.example.com"] });

        var items = await ItemsAsync("ex");
        Assert.DoesNotContain(items, i => i.StartsWith("secrets ", StringComparison.Ordinal) || i.StartsWith("widgets.", StringComparison.Ordinal) || i.StartsWith("events", StringComparison.Ordinal));
        Assert.Contains("configmaps production/web-config", items);
    }

    [Fact]
    public async Task LabelSelectorsSelectOnTheServerAndOrSelectorsAnyOf()
    {
        await BackupAsync("sel", new BackupSpec { IncludedNamespaces = ["production"], LabelSelector = "backup in (critical),app!=web" });
        var selected = await ItemsAsync("sel");
        Assert.Contains("secrets production/db-password", selected);
        Assert.DoesNotContain("deployments.apps production/web", selected);
        Assert.DoesNotContain("configmaps production/web-config", selected);
        // The namespace of selected objects comes along, so a restore can recreate it.
        Assert.Contains("namespaces production", selected);

        await BackupAsync("or", new BackupSpec { IncludedNamespaces = ["production"], OrLabelSelectors = ["app=web", "app=mysql"] });
        var either = await ItemsAsync("or");
        Assert.Contains("deployments.apps production/web", either);
        Assert.Contains("persistentvolumeclaims production/mysql-data", either);
        Assert.DoesNotContain("widgets.example.com production/gadget", either);
    }

    [Theory]
    [InlineData("app in (web")]
    [InlineData("=web")]
    [InlineData("app=we b")]
    public async Task AnInvalidSelectorIsAnErrorBeforeAnythingIsWritten(string selector)
    {
        var error = await Assert.ThrowsAsync<KbException>(() => BackupAsync("bad", new BackupSpec { LabelSelector = selector }));

        Assert.Equal(ErrorIds.LabelSelectorInvalid, error.ErrorId);
        Assert.Empty(await Repo.ListBackupsAsync());
    }

    [Fact]
    public async Task ASelectorAndOrSelectorsTogetherAreRejected()
    {
        var error = await Assert.ThrowsAsync<KbException>(() => BackupAsync("both", new BackupSpec { LabelSelector = "a=b", OrLabelSelectors = ["c=d"] }));

        Assert.Equal(ErrorIds.BackupSpecInvalid, error.ErrorId);
    }

    [Fact]
    public async Task WithANamespaceFilterOnlyTheClusterObjectsItNeedsComeAlong()
    {
        await BackupAsync("related", new BackupSpec { IncludedNamespaces = ["production"] });

        var items = await ItemsAsync("related");
        Assert.Contains("persistentvolumes pv-mysql", items);
        Assert.Contains("customresourcedefinitions.apiextensions.k8s.io widgets.example.com", items);
        Assert.DoesNotContain("persistentvolumes pv-unrelated", items);
        Assert.DoesNotContain("customresourcedefinitions.apiextensions.k8s.io globes.example.com", items);
        Assert.DoesNotContain("clusterroles.rbac.authorization.k8s.io shop-reader", items);
    }

    [Fact]
    public async Task IncludeClusterResourcesTrueTakesAllAndFalseNoneButNamespaces()
    {
        await BackupAsync("all-cluster", new BackupSpec { IncludedNamespaces = ["production"], IncludeClusterResources = true });
        var all = await ItemsAsync("all-cluster");
        Assert.Contains("persistentvolumes pv-unrelated", all);
        Assert.Contains("clusterroles.rbac.authorization.k8s.io shop-reader", all);
        Assert.DoesNotContain("namespaces staging", all);

        await BackupAsync("no-cluster", new BackupSpec { IncludeClusterResources = false });
        var none = await ItemsAsync("no-cluster");
        Assert.DoesNotContain(none, i => i.StartsWith("persistentvolumes ", StringComparison.Ordinal) || i.StartsWith("clusterroles", StringComparison.Ordinal));
        Assert.Contains("namespaces production", none);
        Assert.Contains("configmaps tools/tool-config", none);
    }

    [Fact]
    public async Task ObjectsBeingDeletedAreSkipped()
    {
        Emulator.Cluster.Create(JsonNode.Parse("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"leaving","namespace":"production","finalizers":["example.com/hold"]}}
            """)!.AsObject());
        Emulator.Cluster.Delete("v1", "ConfigMap", "production", "leaving");

        await BackupAsync("deleting", new BackupSpec { IncludedNamespaces = ["production"] });

        Assert.DoesNotContain("configmaps production/leaving", await ItemsAsync("deleting"));
    }

    [Fact]
    public async Task ANameThatExistsIsAnErrorAndNothingIsOverwritten()
    {
        var first = await BackupAsync("taken", new BackupSpec { IncludedNamespaces = ["tools"] });

        var error = await Assert.ThrowsAsync<KbException>(() => BackupAsync("taken"));

        Assert.Equal(ErrorIds.BackupAlreadyExists, error.ErrorId);
        var kept = await Repo.GetBackupAsync("taken");
        Assert.Equal(first.ItemsBackedUp, kept.Stats.Items);
    }

    [Fact]
    public async Task GeneratedNamesSortByTime()
    {
        var runner = Runner();
        var clock = new DateTimeOffset(2026, 11, 24, 1, 2, 3, TimeSpan.Zero);
        var options = new BackupRunOptions { Clock = () => clock };
        var spec = new BackupSpec { IncludedNamespaces = ["tools"] };

        var first = await runner.RunAsync(Repo, spec, options, default);
        var second = await runner.RunAsync(Repo, spec, options, default);

        Assert.Equal("backup-20261124-010203", first.Name);
        Assert.Equal("backup-20261124-010203-2", second.Name);
    }

    [Fact]
    public async Task ASecondBackupOfTheSameScopeIsIncrementalToTheFirst()
    {
        var first = await BackupAsync("first", new BackupSpec { IncludedNamespaces = ["production"] });
        var patch = Emulator.Cluster.Get("v1", "ConfigMap", "production", "web-config")!;
        patch["data"]!["color"] = "red";
        Emulator.Cluster.Put(patch);

        var second = await BackupAsync("second", new BackupSpec { IncludedNamespaces = ["production"] });
        var other = await BackupAsync("other-scope", new BackupSpec { IncludedNamespaces = ["staging"] });

        Assert.Equal("first", second.Parent);
        Assert.Null(other.Parent);
        Assert.True(second.SizeAdded < first.SizeAdded / 2, $"second added {second.SizeAdded} bytes, first {first.SizeAdded}");
        Assert.Equal("red", (string?)(await ItemAsync("second", "configmaps", "production", "web-config"))["data"]!["color"]);
        Assert.Equal("blue", (string?)(await ItemAsync("first", "configmaps", "production", "web-config"))["data"]!["color"]);
    }

    [Fact]
    public async Task TheRecordRoundTripsThroughTheRepository()
    {
        var made = await BackupAsync("record", new BackupSpec
        {
            IncludedNamespaces = ["production"],
            LabelSelector = "app=web",
            Ttl = TimeSpan.FromHours(168),
            Labels = new Dictionary<string, string> { ["schedule"] = "hourly" },
        });

        var read = Core.Backup.BackupRecordJson.FromInfo(await Repo.GetBackupAsync("record"), "test");

        Assert.Equal(made.Phase, read.Phase);
        Assert.Equal(made.ItemsBackedUp, read.ItemsBackedUp);
        Assert.Equal(made.Expires, read.Expires);
        Assert.Equal("hourly", read.Labels["schedule"]);
        Assert.Equal("app=web", read.Spec.LabelSelector);
        Assert.Equal(TimeSpan.FromHours(168), read.Spec.Ttl);
        Assert.Equal(["production"], read.Spec.IncludedNamespaces);
    }

    [Fact]
    public async Task ThePreviewCountsPerNamespaceAndTypeWithoutWriting()
    {
        var preview = await Runner().PreviewAsync(new BackupSpec { IncludedNamespaces = ["production", "missing"] }, Named("preview"), default);

        Assert.Contains(preview.Rows, r => r.Namespace == "production" && r.Resource == "deployments.apps" && r.Items == 1);
        Assert.Contains(preview.Rows, r => r.Namespace is null && r.Resource == "persistentvolumes" && r.Items == 1);
        Assert.Contains(preview.Problems, p => p.Target == "missing");
        Assert.Empty(await Repo.ListBackupsAsync());
        Assert.Empty(Files("packs"));
    }

    [Fact]
    public async Task ManyChosenNamespacesAreListedAcrossTheClusterAndFilteredHere()
    {
        for (var i = 0; i < 10; i++)
        {
            Emulator.Cluster.LoadYaml($$"""
                apiVersion: v1
                kind: Namespace
                metadata: {name: team-{{i}}}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings, namespace: team-{{i}}}
                data: {n: "{{i}}"}
                """);
        }
        var perNamespace = 0;
        Cluster.Listing.ListingTestCluster.Observe(Emulator, (context, verb, _) =>
        {
            if (verb == "list" && context.Request.Path.Value!.Contains("/namespaces/", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref perNamespace);
            }
            return Task.FromResult(false);
        });

        await BackupAsync("many", new BackupSpec { IncludedNamespaces = ["team-*", "production"], ExcludedNamespaces = ["team-9"] });

        var items = await ItemsAsync("many");
        Assert.Equal(0, perNamespace);
        Assert.Contains("configmaps team-0/settings", items);
        Assert.Contains("configmaps production/web-config", items);
        Assert.DoesNotContain("configmaps team-9/settings", items);
        Assert.DoesNotContain(items, i => i.Contains(" staging/", StringComparison.Ordinal) || i.Contains(" tools/", StringComparison.Ordinal));
    }
}
