using KubeBackup.Core.Backup;
using KubeBackup.Core.Backup.Hooks;
using KubeBackup.Core.Specs;

namespace KubeBackup.Core.Tests.Specs;

public sealed class VeleroBackupSpecTests
{
    [Fact]
    public void TheSeedsBackupWithHooksParses()
    {
        var manifest = VeleroBackupSpec.Parse(SeedManifests.BackupWithHooks, "seed.yaml");

        Assert.Equal("mysql-backup-with-hooks", manifest.Name);
        Assert.Empty(manifest.Warnings);
        var spec = manifest.Spec;
        Assert.Equal(["production"], spec.IncludedNamespaces);
        Assert.Empty(spec.ExcludedNamespaces);
        Assert.Empty(spec.IncludedResources);
        Assert.Empty(spec.ExcludedResources);
        Assert.Equal("app=mysql", spec.LabelSelector);
        Assert.Empty(spec.OrLabelSelectors);
        Assert.Null(spec.IncludeClusterResources);
        Assert.Equal(BackupSpec.DefaultTtl, spec.Ttl);
        Assert.Null(spec.StorageLocation);
        Assert.Empty(spec.Labels);

        var hook = Assert.Single(spec.Hooks);
        Assert.Equal("mysql-backup-hook", hook.Name);
        Assert.Equal(["production"], hook.IncludedNamespaces);
        Assert.Empty(hook.ExcludedNamespaces);
        Assert.Equal("app=mysql", hook.LabelSelector);

        var pre = Assert.Single(hook.Pre);
        Assert.Equal("mysql", pre.Container);
        Assert.Equal(["/bin/bash", "-c", "mysql -u root -p$MYSQL_ROOT_PASSWORD -e 'FLUSH TABLES WITH READ LOCK; FLUSH LOGS;'"], pre.Command);
        Assert.Equal(HookErrorMode.Fail, pre.OnError);
        Assert.Equal(TimeSpan.FromSeconds(60), pre.Timeout);

        var post = Assert.Single(hook.Post);
        Assert.Equal("mysql", post.Container);
        Assert.Equal(["/bin/bash", "-c", "mysql -u root -p$MYSQL_ROOT_PASSWORD -e 'UNLOCK TABLES;'"], post.Command);
        Assert.Equal(HookErrorMode.Continue, post.OnError);
        Assert.Equal(TimeSpan.FromSeconds(30), post.Timeout);
    }

    [Fact]
    public void AMinimalBackupTakesTheDefaults()
    {
        var manifest = VeleroBackupSpec.Parse("""
            apiVersion: velero.io/v1
            kind: Backup
            metadata:
              name: nightly
            """, "<text>");

        Assert.Equal("nightly", manifest.Name);
        Assert.Empty(manifest.Warnings);
        var spec = manifest.Spec;
        Assert.Empty(spec.IncludedNamespaces);
        Assert.Empty(spec.ExcludedNamespaces);
        Assert.Empty(spec.IncludedResources);
        Assert.Empty(spec.ExcludedResources);
        Assert.Null(spec.LabelSelector);
        Assert.Empty(spec.OrLabelSelectors);
        Assert.Null(spec.IncludeClusterResources);
        Assert.Equal(BackupSpec.DefaultTtl, spec.Ttl);
        Assert.Null(spec.StorageLocation);
        Assert.Empty(spec.Labels);
        Assert.Empty(spec.Hooks);
    }

    [Fact]
    public void ABackupWithoutMetadataHasNoName()
    {
        var manifest = VeleroBackupSpec.Parse("apiVersion: velero.io/v1\nkind: Backup\nspec: {}\n", "<text>");
        Assert.Null(manifest.Name);
        Assert.Equal(BackupSpec.DefaultTtl, manifest.Spec.Ttl);
    }

    [Fact]
    public void EveryMappedFieldArrives()
    {
        var manifest = VeleroBackupSpec.Parse("""
            apiVersion: velero.io/v1
            kind: Backup
            metadata:
              name: full
              namespace: velero
              labels:
                velero.io/schedule-name: daily
                team: data
            spec:
              includedNamespaces: [production, "team-*"]
              excludedNamespaces: [kube-system]
              includedResources: [deployments.apps, configmaps, secrets]
              excludedResources: [events, events.events.k8s.io]
              includeClusterResources: false
              ttl: 168h0m0s
              storageLocation: oss-hangzhou
            """, "<text>");

        var spec = manifest.Spec;
        Assert.Empty(manifest.Warnings);
        Assert.Equal(["production", "team-*"], spec.IncludedNamespaces);
        Assert.Equal(["kube-system"], spec.ExcludedNamespaces);
        Assert.Equal(["deployments.apps", "configmaps", "secrets"], spec.IncludedResources);
        Assert.Equal(["events", "events.events.k8s.io"], spec.ExcludedResources);
        Assert.False(spec.IncludeClusterResources);
        Assert.Equal(TimeSpan.FromDays(7), spec.Ttl);
        Assert.Equal("oss-hangzhou", spec.StorageLocation);
        Assert.Equal(new Dictionary<string, string> { ["velero.io/schedule-name"] = "daily", ["team"] = "data" }, spec.Labels);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    [InlineData("yes", true)]
    [InlineData("off", false)]
    [InlineData("null", null)]
    [InlineData("~", null)]
    [InlineData("", null)]
    public void IncludeClusterResourcesIsThreeValued(string value, bool? expected)
    {
        var spec = Spec($"includeClusterResources: {value}");
        Assert.Equal(expected, spec.IncludeClusterResources);
    }

    [Theory]
    [InlineData("720h", 720 * 3600)]
    [InlineData("168h0m0s", 168 * 3600)]
    [InlineData("30m", 30 * 60)]
    [InlineData("1h30m", 90 * 60)]
    [InlineData("1.5h", 90 * 60)]
    [InlineData("90s", 90)]
    [InlineData("\"720h0m0s\"", 720 * 3600)]
    public void TtlIsAGoDuration(string ttl, int seconds)
    {
        var manifest = Manifest($"ttl: {ttl}");
        Assert.Equal(TimeSpan.FromSeconds(seconds), manifest.Spec.Ttl);
        Assert.Empty(manifest.Warnings);
    }

    [Theory]
    [InlineData("7d", 7 * 24 * 3600)]
    [InlineData("1w", 7 * 24 * 3600)]
    [InlineData("1.00:00:00", 24 * 3600)]
    public void DurationsVeleroWouldRejectAreReadWithAWarning(string ttl, int seconds)
    {
        var manifest = Manifest($"ttl: \"{ttl}\"");
        Assert.Equal(TimeSpan.FromSeconds(seconds), manifest.Spec.Ttl);
        var warning = Assert.Single(manifest.Warnings);
        Assert.Contains("spec.ttl", warning);
        Assert.Contains("Go durations", warning);
    }

    [Fact]
    public void MatchLabelsAndMatchExpressionsBecomeOneSelector()
    {
        var spec = Spec("""
            labelSelector:
              matchLabels:
                app: mysql
                app.kubernetes.io/part-of: shop
              matchExpressions:
                - { key: tier, operator: In, values: [a, b] }
                - { key: env, operator: NotIn, values: [dev] }
                - { key: backup, operator: Exists }
                - { key: legacy, operator: DoesNotExist }
            """);
        Assert.Equal("app=mysql,app.kubernetes.io/part-of=shop,tier in (a,b),env notin (dev),backup,!legacy", spec.LabelSelector);
    }

    [Fact]
    public void AnEmptySelectorSelectsEverything()
    {
        Assert.Null(Spec("labelSelector: {}").LabelSelector);
        Assert.Null(Spec("labelSelector:\n  matchLabels: {}\n  matchExpressions: []").LabelSelector);
    }

    [Fact]
    public void AnEmptyLabelValueIsAllowed()
    {
        Assert.Equal("app=", Spec("labelSelector: { matchLabels: { app: \"\" } }").LabelSelector);
    }

    [Fact]
    public void OrLabelSelectorsBecomeSeveralSelectors()
    {
        var spec = Spec("""
            orLabelSelectors:
              - matchLabels: { app: mysql }
              - matchLabels: { app: postgres }
                matchExpressions: [{ key: role, operator: In, values: [primary] }]
            """);
        Assert.Null(spec.LabelSelector);
        Assert.Equal(["app=mysql", "app=postgres,role in (primary)"], spec.OrLabelSelectors);
    }

    [Fact]
    public void AnEmptyOrLabelSelectorSelectsEverythingWithAWarning()
    {
        var manifest = Manifest("orLabelSelectors:\n  - matchLabels: { app: mysql }\n  - {}");
        Assert.Empty(manifest.Spec.OrLabelSelectors);
        Assert.Contains(manifest.Warnings, w => w.Contains("spec.orLabelSelectors[1]") && w.Contains("every object"));
    }

    [Fact]
    public void NullListsAreEmpty()
    {
        var spec = Spec("includedNamespaces:\nexcludedNamespaces: ~\nincludedResources: null\nexcludedResources: []");
        Assert.Empty(spec.IncludedNamespaces);
        Assert.Empty(spec.ExcludedNamespaces);
        Assert.Empty(spec.IncludedResources);
        Assert.Empty(spec.ExcludedResources);
    }

    [Fact]
    public void JsonManifestsAreYamlToo()
    {
        var manifest = VeleroBackupSpec.Parse("""
            {"apiVersion": "velero.io/v1", "kind": "Backup", "metadata": {"name": "j"},
             "spec": {"includedNamespaces": ["a"], "includeClusterResources": true, "ttl": "24h0m0s"}}
            """, "<text>");
        Assert.Equal("j", manifest.Name);
        Assert.Equal(["a"], manifest.Spec.IncludedNamespaces);
        Assert.True(manifest.Spec.IncludeClusterResources);
        Assert.Equal(TimeSpan.FromHours(24), manifest.Spec.Ttl);
    }

    [Fact]
    public void AnExportedBackupWithStatusReadsWithoutWarnings()
    {
        var manifest = VeleroBackupSpec.Parse("""
            apiVersion: velero.io/v1
            kind: Backup
            metadata:
              name: exported
              namespace: velero
              uid: 6c1f0c3e-2a8b-4c1e-9d55-0f1b6f0d9a11
              resourceVersion: "12345"
              annotations: { velero.io/source-cluster-k8s-gitversion: v1.29.1 }
            spec:
              includedNamespaces: ["*"]
              ttl: 720h0m0s
            status:
              phase: Completed
              version: 1
            """, "<text>");
        Assert.Empty(manifest.Warnings);
        Assert.Equal(["*"], manifest.Spec.IncludedNamespaces);
    }

    [Fact]
    public void MetadataLabelsWinOverSpecMetadataLabels()
    {
        var manifest = VeleroBackupSpec.Parse("""
            apiVersion: velero.io/v1
            kind: Backup
            metadata:
              name: b
              labels: { team: data }
            spec:
              metadata:
                labels: { team: ops, tier: gold }
            """, "<text>");
        Assert.Equal(new Dictionary<string, string> { ["team"] = "data", ["tier"] = "gold" }, manifest.Spec.Labels);
    }

    internal static VeleroBackupManifest Manifest(string specBody)
    {
        var indented = string.Join('\n', specBody.Split('\n').Select(line => "  " + line));
        return VeleroBackupSpec.Parse($"apiVersion: velero.io/v1\nkind: Backup\nmetadata:\n  name: t\nspec:\n{indented}\n", "<text>");
    }

    internal static BackupSpec Spec(string specBody) => Manifest(specBody).Spec;
}
