using System.Text.Json.Nodes;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Compare;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Tests.Backup;
using KubeBackup.Core.Tests.Cluster.Discovery;

namespace KubeBackup.Core.Tests.Compare;

/// <summary>Compare-KbBackup's engine against the in-process emulator and a real file-system repository.</summary>
public sealed class BackupComparerTests : BackupTestKit
{
    // Pods and replica sets follow the deployment through the emulator's controllers, on their own time.
    private static readonly CompareOptions Steady = new() { ExcludedResources = ["pods", "replicasets"] };

    private BackupComparer Comparer() => new(ClusterTestKit.Connect(Emulator), "emulator", Sink);

    private async Task<List<ItemDifference>> CompareWithClusterAsync(string backup, CompareOptions? options = null)
    {
        var reader = await Repo.OpenBackupAsync(backup);
        var results = new List<ItemDifference>();
        await foreach (var difference in Comparer().CompareWithClusterAsync(reader, options ?? Steady))
        {
            results.Add(difference);
        }
        return results;
    }

    private async Task<List<ItemDifference>> CompareBackupsAsync(string reference, string difference, CompareOptions? options = null)
    {
        var results = new List<ItemDifference>();
        await foreach (var item in new BackupComparer(Sink).CompareBackupsAsync(await Repo.OpenBackupAsync(reference), await Repo.OpenBackupAsync(difference), options ?? new CompareOptions()))
        {
            results.Add(item);
        }
        return results;
    }

    private static string Describe(ItemDifference d) => $"{d.Change} {Describe(new ItemKey(d.Group, d.Version, d.Resource, d.Namespace, d.Name))}";

    private void ChangeTheShop()
    {
        var web = Emulator.Cluster.Get("apps/v1", "Deployment", "production", "web")!;
        web["spec"]!["replicas"] = 5;
        Emulator.Cluster.Put(web);
        Emulator.Cluster.Delete("v1", "ConfigMap", "production", "web-config");
        Emulator.Cluster.Create(JsonNode.Parse("""
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"api-token","namespace":"production"},"stringData":{"token":"t"}}
            """)!.AsObject());
    }

    [Fact]
    public async Task AnUnchangedClusterHasNoDifferencesAndEveryItemIsUnchangedWhenAsked()
    {
        var summary = await BackupAsync("nightly");

        Assert.Empty(await CompareWithClusterAsync("nightly"));
        var all = await CompareWithClusterAsync("nightly", Steady with { IncludeUnchanged = true });
        Assert.All(all, d => Assert.Equal(DifferenceKind.Unchanged, d.Change));
        Assert.Contains(all, d => d.Resource == "deployments" && d.Name == "web" && d.Kind == "Deployment");
        // Nodes, csinodes, events and each namespace's root CA bundle are never compared: a restore never creates them.
        var never = new[] { "pods ", "replicasets.apps ", "events", "nodes ", "csinodes.storage.k8s.io ", "leases.coordination.k8s.io " };
        var items = await ItemsAsync("nightly");
        Assert.Contains(items, i => i.StartsWith("nodes ", StringComparison.Ordinal));
        Assert.Contains(items, i => i.EndsWith("/kube-root-ca.crt", StringComparison.Ordinal));
        Assert.Equal(items.Where(i => !never.Any(n => i.StartsWith(n, StringComparison.Ordinal)) && !i.EndsWith("/kube-root-ca.crt", StringComparison.Ordinal)), all.Select(d => Describe(new ItemKey(d.Group, d.Version, d.Resource, d.Namespace, d.Name))));
    }

    [Fact]
    public async Task AChangedClusterIsExactlyChangedRemovedAndAddedWithTheFieldPaths()
    {
        await BackupAsync("nightly");
        ChangeTheShop();

        var differences = await CompareWithClusterAsync("nightly");

        Assert.Equal(
            ["Removed configmaps production/web-config", "Added secrets production/api-token", "Changed deployments.apps production/web"],
            differences.Select(Describe));
        var web = differences.Single(d => d.Change == DifferenceKind.Changed);
        Assert.Equal([new FieldChange("spec.replicas", "2", "5")], web.Changes);
        Assert.All(differences, d =>
        {
            Assert.Equal("nightly", d.Reference);
            Assert.Equal("cluster 'emulator'", d.DifferenceTarget);
            Assert.Null(d.Reason);
        });
        Assert.Equal("Secret", differences.Single(d => d.Change == DifferenceKind.Added).Kind);
        Assert.Contains(Sink.All, m => m.StartsWith("VERBOSE Compared ", StringComparison.Ordinal) && m.Contains("1 added, 1 removed, 1 changed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FiltersNarrowTheComparisonAndResourceNamesResolveThroughDiscovery()
    {
        await BackupAsync("nightly");
        ChangeTheShop();
        Emulator.Cluster.Create(JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"new-tool","namespace":"tools"}}""")!.AsObject());

        var deploymentsOnly = await CompareWithClusterAsync("nightly", Steady with { IncludedResources = ["deploy"] });
        var notProduction = await CompareWithClusterAsync("nightly", Steady with { ExcludedNamespaces = ["prod*"] });
        var tools = await CompareWithClusterAsync("nightly", Steady with { IncludedNamespaces = ["tools"] });

        Assert.Equal(["Changed deployments.apps production/web"], deploymentsOnly.Select(Describe));
        Assert.Equal(["Added configmaps tools/new-tool"], notProduction.Select(Describe));
        Assert.Equal(["Added configmaps tools/new-tool"], tools.Select(Describe));
    }

    [Fact]
    public async Task LiveObjectsOutsideTheBackupsNamespacesOrSelectorAreNotAdded()
    {
        await BackupAsync("critical", new BackupSpec { IncludedNamespaces = ["production"], LabelSelector = "backup=critical" });
        Emulator.Cluster.Create(JsonNode.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"other","namespace":"production"}}""")!.AsObject());
        Emulator.Cluster.Create(JsonNode.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"kept","namespace":"production","labels":{"backup":"critical"}}}""")!.AsObject());
        Emulator.Cluster.Create(JsonNode.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"elsewhere","namespace":"staging","labels":{"backup":"critical"}}}""")!.AsObject());

        var differences = await CompareWithClusterAsync("critical");

        Assert.Equal(["Added secrets production/kept"], differences.Select(Describe));
    }

    [Fact]
    public async Task ANamespaceFilteredBackupDoesNotSeeOtherNamespacesOrClusterObjectsAsAdded()
    {
        await BackupAsync("production", new BackupSpec { IncludedNamespaces = ["production"] });
        Assert.Contains("namespaces production", await ItemsAsync("production"));
        Assert.Contains("persistentvolumes pv-mysql", await ItemsAsync("production"));
        Emulator.Cluster.Create(JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"newcomer"}}""")!.AsObject());

        Assert.Empty(await CompareWithClusterAsync("production"));

        await BackupAsync("everything");
        Emulator.Cluster.Create(JsonNode.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"later"}}""")!.AsObject());
        Assert.Equal(["Added namespaces later"], (await CompareWithClusterAsync("everything")).Select(Describe));
    }

    [Fact]
    public async Task ItemsOfATypeTheClusterNoLongerServesAreRemovedWithTheReason()
    {
        await WriteBackupAsync(Repo, "old", [
            (new ItemKey("gone.example.com", "v1", "gizmos", "production", "g1"), Json("""{"apiVersion":"gone.example.com/v1","kind":"Gizmo","metadata":{"name":"g1","namespace":"production"}}""")),
            (new ItemKey("", "v1", "configmaps", "production", "web-config"), Json("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"web-config","namespace":"production","labels":{"app":"web"}},"data":{"color":"blue"}}""")),
        ]);

        Emulator.Cluster.LoadYaml("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: added-later, namespace: production}
            data: {x: "1"}
            """);

        var differences = await CompareWithClusterAsync("old", new CompareOptions { IncludedResources = ["configmaps", "gizmos.gone.example.com"] });

        var gizmo = Assert.Single(differences, d => d.Resource == "gizmos");
        Assert.Equal(DifferenceKind.Removed, gizmo.Change);
        Assert.Contains("serves no listable resource type gizmos.gone.example.com", gizmo.Reason);
        // web-config is as written; the backup knows no other config maps of production, so the cluster's others are Added.
        Assert.DoesNotContain(differences, d => d.Name == "web-config");
        Assert.Contains(differences, d => d.Change == DifferenceKind.Added && d.Resource == "configmaps" && d.Namespace == "production" && d.Name == "added-later");
        Assert.DoesNotContain(differences, d => d.Name == "kube-root-ca.crt");
        Assert.DoesNotContain(differences, d => d.Namespace is not "production");
    }

    [Fact]
    public async Task ADamagedItemIsReportedWithTheReasonAndTheRestIsCompared()
    {
        await BackupAsync("nightly");
        ChangeTheShop();
        var reader = await Repo.OpenBackupAsync("nightly");
        var victim = (await reader.GetManifestAsync()).Single(e => e.Key.Resource == "secrets" && e.Key.Name == "db-password");
        CorruptBlob(victim.Blobs[0]);

        var differences = await CompareWithClusterAsync("nightly");

        var damaged = Assert.Single(differences, d => d.Name == "db-password");
        Assert.Equal(DifferenceKind.Changed, damaged.Change);
        Assert.Empty(damaged.Changes);
        Assert.Contains("db-password", damaged.Reason);
        Assert.Contains(differences, d => d.Name == "web" && d.Change == DifferenceKind.Changed);
        Assert.Contains(differences, d => d.Name == "web-config" && d.Change == DifferenceKind.Removed);
    }

    [Fact]
    public async Task AStorageFailureWhileComparingEndsTheComparisonWithThatError()
    {
        await BackupAsync("nightly");
        var victim = (await (await Repo.OpenBackupAsync("nightly")).GetManifestAsync()).Single(e => e.Key.Resource == "secrets" && e.Key.Name == "db-password").Blobs[0];
        var failing = new FailingRangeStore(Store, RepositoryLayout.Pack(victim.PackId), victim.Offset);
        using var repository = await OpenAsync(store: failing);
        var reader = await repository.OpenBackupAsync("nightly");

        var error = await Assert.ThrowsAsync<KbException>(async () =>
        {
            await foreach (var _ in Comparer().CompareWithClusterAsync(reader, Steady with { MaxConcurrentItems = 2 }))
            {
            }
        }).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(ErrorIds.StorageLocationUnavailable, error.ErrorId);
    }

    [Fact]
    public async Task TwoBackupsDifferByWhatChangedBetweenThem()
    {
        await BackupAsync("monday", new BackupSpec { ExcludedResources = ["pods", "replicasets"] });
        ChangeTheShop();
        await BackupAsync("tuesday", new BackupSpec { ExcludedResources = ["pods", "replicasets"] });

        var differences = await CompareBackupsAsync("monday", "tuesday");
        var backwards = await CompareBackupsAsync("tuesday", "monday");

        Assert.Equal(
            ["Removed configmaps production/web-config", "Added secrets production/api-token", "Changed deployments.apps production/web"],
            differences.Select(Describe));
        Assert.Equal([new FieldChange("spec.replicas", "2", "5")], differences[2].Changes);
        Assert.All(differences, d => Assert.Equal(("monday", "tuesday"), (d.Reference, d.DifferenceTarget)));
        Assert.Equal(
            ["Added configmaps production/web-config", "Removed secrets production/api-token", "Changed deployments.apps production/web"],
            backwards.Select(Describe));
        Assert.Equal([new FieldChange("spec.replicas", "5", "2")], backwards[2].Changes);
    }

    [Fact]
    public async Task ItemsTwoBackupsShareByBlobAreUnchangedWithoutBeingRead()
    {
        await BackupAsync("monday", new BackupSpec { IncludedNamespaces = ["production"] });
        await BackupAsync("tuesday", new BackupSpec { IncludedNamespaces = ["production"] });
        var monday = await (await Repo.OpenBackupAsync("monday")).GetManifestAsync();
        var tuesday = await (await Repo.OpenBackupAsync("tuesday")).GetManifestAsync();
        var shared = monday.Single(e => e.Key.Resource == "secrets" && e.Key.Name == "db-password");
        Assert.Equal(shared.Blobs, tuesday.Single(e => e.Key == shared.Key).Blobs);
        // Reading the shared blob now fails; a comparison that read it would report the damage.
        CorruptBlob(shared.Blobs[0]);

        var all = await CompareBackupsAsync("monday", "tuesday", new CompareOptions { IncludeUnchanged = true });

        var secret = Assert.Single(all, d => d.Resource == "secrets" && d.Name == "db-password");
        Assert.Equal(DifferenceKind.Unchanged, secret.Change);
        Assert.Null(secret.Reason);
        Assert.DoesNotContain(Sink.Warnings, w => w.Contains("db-password", StringComparison.Ordinal));
        var compared = monday.Count(e => !e.Key.Resource.StartsWith("event", StringComparison.Ordinal) && e.Key.Name != "kube-root-ca.crt");
        Assert.Equal(compared, all.Count);
        Assert.Empty(await CompareBackupsAsync("monday", "tuesday", new CompareOptions { ExcludedResources = ["pods", "replicasets"] }));
        await ThrowsKb(ErrorIds.BlobCorrupted, async () => await (await Repo.OpenBackupAsync("monday")).ReadItemAsync(shared));
    }

    [Fact]
    public async Task ADifferentBlobWithOnlyServerFilledChangesIsUnchanged()
    {
        var config = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"a","resourceVersion":"RV"},"data":{"k":"v"}}""";
        var key = new ItemKey("", "v1", "configmaps", "a", "c");
        await WriteBackupAsync(Repo, "one", [(key, Json(config.Replace("RV", "1")))]);
        await WriteBackupAsync(Repo, "two", [(key with { Version = "v2" }, Json(config.Replace("RV", "2")))]);

        var all = await CompareBackupsAsync("one", "two", new CompareOptions { IncludeUnchanged = true });

        var item = Assert.Single(all);
        Assert.Equal(DifferenceKind.Unchanged, item.Change);
        Assert.Equal("ConfigMap", item.Kind);
    }

    private void CorruptBlob(BlobRef blob)
    {
        var path = Path.Combine(Inner.RootDirectory, RepositoryLayout.Pack(blob.PackId));
        var bytes = File.ReadAllBytes(path);
        bytes[blob.Offset + blob.Length - 1] ^= 0x10;
        File.WriteAllBytes(path, bytes);
    }
}

/// <summary>A store whose read of one byte range fails as an unreachable store does: not damage, so the comparison must stop.</summary>
internal sealed class FailingRangeStore(IObjectStore inner, string key, long offset) : IObjectStore
{
    public string Description => inner.Description;

    public Task PutAsync(string k, Stream content, CancellationToken cancellationToken) => inner.PutAsync(k, content, cancellationToken);

    public Task<Stream> OpenReadAsync(string k, CancellationToken cancellationToken) => inner.OpenReadAsync(k, cancellationToken);

    public Task<byte[]> ReadRangeAsync(string k, long o, int length, CancellationToken cancellationToken) =>
        k == key && o == offset
            ? throw new KbException(ErrorIds.StorageLocationUnavailable, KbErrorCategory.ConnectionError, k, "The store went away.")
            : inner.ReadRangeAsync(k, o, length, cancellationToken);

    public Task<ObjectInfo?> StatAsync(string k, CancellationToken cancellationToken) => inner.StatAsync(k, cancellationToken);

    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken) => inner.ListAsync(prefix, cancellationToken);

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) => inner.DeleteAsync(keys, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
