using KubeBackup.Core.Errors;
using KubeBackup.Core.Specs;

namespace KubeBackup.Core.Tests.Specs;

public sealed class VeleroBackupSpecErrorTests
{
    [Theory]
    // A list or mapping where a string is expected, and the reverse.
    [InlineData("storageLocation: [default]", "spec.storageLocation", 6)]
    [InlineData("storageLocation: { name: default }", "spec.storageLocation", 6)]
    [InlineData("includedNamespaces: production", "spec.includedNamespaces", 6)]
    [InlineData("includedNamespaces: { production: true }", "spec.includedNamespaces", 6)]
    [InlineData("excludedResources:\n  - events\n  - { kind: Event }", "spec.excludedResources[1]", 8)]
    [InlineData("includedResources:\n  - pods\n  -", "spec.includedResources[1]", 8)]
    // includeClusterResources is a bool or null.
    [InlineData("includeClusterResources: maybe", "spec.includeClusterResources", 6)]
    [InlineData("includeClusterResources: \"true\"", "spec.includeClusterResources", 6)]
    [InlineData("includeClusterResources: 1", "spec.includeClusterResources", 6)]
    [InlineData("includeClusterResources: [true]", "spec.includeClusterResources", 6)]
    // ttl: a positive Go duration.
    [InlineData("ttl: 0", "spec.ttl", 6)]
    [InlineData("ttl: 0s", "spec.ttl", 6)]
    [InlineData("ttl: -24h", "spec.ttl", 6)]
    [InlineData("ttl: soon", "spec.ttl", 6)]
    [InlineData("ttl: 720", "spec.ttl", 6)]
    [InlineData("ttl: 720 h", "spec.ttl", 6)]
    [InlineData("ttl: [720h]", "spec.ttl", 6)]
    // Label selectors.
    [InlineData("labelSelector: [app=mysql]", "spec.labelSelector", 6)]
    [InlineData("labelSelector: app=mysql", "spec.labelSelector", 6)]
    [InlineData("labelSelector: { matchLabels: [app] }", "spec.labelSelector.matchLabels", 6)]
    [InlineData("labelSelector: { matchLabels: { app: [a, b] } }", "spec.labelSelector.matchLabels.app", 6)]
    [InlineData("labelSelector: { matchLabels: { \"bad key\": x } }", "spec.labelSelector.matchLabels", 6)]
    [InlineData("labelSelector: { matchLabels: { app: \"a,b\" } }", "spec.labelSelector.matchLabels.app", 6)]
    [InlineData("labelSelector: { matchLabels: { Example.COM/app: x } }", "spec.labelSelector.matchLabels", 6)]
    [InlineData("labelSelector: { matchExpressions: { key: a } }", "spec.labelSelector.matchExpressions", 6)]
    [InlineData("labelSelector: { matchExpressions: [tier in (a)] }", "spec.labelSelector.matchExpressions[0]", 6)]
    [InlineData("labelSelector:\n  matchExpressions:\n    - { key: tier, operator: in, values: [a] }", "spec.labelSelector.matchExpressions[0].operator", 8)]
    [InlineData("labelSelector:\n  matchExpressions:\n    - { key: tier, operator: Equals, values: [a] }", "spec.labelSelector.matchExpressions[0].operator", 8)]
    [InlineData("labelSelector:\n  matchExpressions:\n    - { key: tier, operator: In }", "spec.labelSelector.matchExpressions[0]", 8)]
    [InlineData("labelSelector:\n  matchExpressions:\n    - { key: tier, operator: NotIn, values: [] }", "spec.labelSelector.matchExpressions[0]", 8)]
    [InlineData("labelSelector:\n  matchExpressions:\n    - { key: tier, operator: Exists, values: [a] }", "spec.labelSelector.matchExpressions[0]", 8)]
    [InlineData("labelSelector:\n  matchExpressions:\n    - { key: tier, operator: DoesNotExist, values: [a] }", "spec.labelSelector.matchExpressions[0]", 8)]
    [InlineData("labelSelector:\n  matchExpressions:\n    - { operator: Exists }", "spec.labelSelector.matchExpressions[0]", 8)]
    [InlineData("labelSelector:\n  matchExpressions:\n    - { key: tier }", "spec.labelSelector.matchExpressions[0]", 8)]
    [InlineData("labelSelector:\n  matchExpressions:\n    - { key: \"-tier\", operator: Exists }", "spec.labelSelector.matchExpressions[0].key", 8)]
    [InlineData("labelSelector:\n  matchExpressions:\n    - { key: tier, operator: In, values: [\"a b\"] }", "spec.labelSelector.matchExpressions[0].values", 8)]
    [InlineData("orLabelSelectors: { matchLabels: { app: a } }", "spec.orLabelSelectors", 6)]
    [InlineData("orLabelSelectors: [app=a]", "spec.orLabelSelectors[0]", 6)]
    [InlineData("orLabelSelectors:\n  - {}\n  - { matchExpressions: [{ key: a, operator: In }] }", "spec.orLabelSelectors[1].matchExpressions[0]", 8)]
    [InlineData("labelSelector: { matchLabels: { app: a } }\norLabelSelectors: [{ matchLabels: { app: b } }]", "spec.orLabelSelectors", 7)]
    // Velero rejects an exclude that repeats an include.
    [InlineData("includedNamespaces: [a, b]\nexcludedNamespaces: [b]", "spec.excludedNamespaces", 7)]
    [InlineData("includedResources: [pods]\nexcludedResources: [pods]", "spec.excludedResources", 7)]
    // Labels of the backup.
    [InlineData("metadata: { labels: { \"a b\": c } }", "spec.metadata.labels", 6)]
    [InlineData("metadata: [labels]", "spec.metadata", 6)]
    public void AWrongSpecFieldIsSpecInvalidNamingThePathAndLine(string specBody, string path, int line)
    {
        var e = Assert.Throws<KbException>(() => VeleroBackupSpecTests.Manifest(specBody));
        Assert.Equal(ErrorIds.SpecInvalid, e.ErrorId);
        Assert.Equal(KbErrorCategory.InvalidArgument, e.Category);
        Assert.Equal("<text>", e.Target);
        Assert.Contains($" {path} ", e.Message);
        Assert.Contains($"line {line},", e.Message);
    }

    [Theory]
    [InlineData("hooks: [a]", "spec.hooks")]
    [InlineData("hooks: { resources: { name: h } }", "spec.hooks.resources")]
    [InlineData("hooks: { resources: [h] }", "spec.hooks.resources[0]")]
    [InlineData("hooks: { resources: [{ pre: [] }] }", "spec.hooks.resources[0]")]
    [InlineData("hooks: { resources: [{ name: [h] }] }", "spec.hooks.resources[0].name")]
    [InlineData("hooks: { resources: [{ name: h, pre: { exec: { command: [x] } } }] }", "spec.hooks.resources[0].pre")]
    [InlineData("hooks: { resources: [{ name: h, pre: [exec] }] }", "spec.hooks.resources[0].pre[0]")]
    [InlineData("hooks: { resources: [{ name: h, post: [{ exec: run-this }] }] }", "spec.hooks.resources[0].post[0].exec")]
    [InlineData("hooks: { resources: [{ name: h, pre: [{ exec: { container: c } }] }] }", "spec.hooks.resources[0].pre[0].exec")]
    [InlineData("hooks: { resources: [{ name: h, pre: [{ exec: { command: [] } }] }] }", "spec.hooks.resources[0].pre[0].exec.command")]
    [InlineData("hooks: { resources: [{ name: h, pre: [{ exec: { command: \"\" } }] }] }", "spec.hooks.resources[0].pre[0].exec.command")]
    [InlineData("hooks: { resources: [{ name: h, pre: [{ exec: { command: { sh: x } } }] }] }", "spec.hooks.resources[0].pre[0].exec.command")]
    [InlineData("hooks: { resources: [{ name: h, pre: [{ exec: { command: [x], onError: Ignore } }] }] }", "spec.hooks.resources[0].pre[0].exec.onError")]
    [InlineData("hooks: { resources: [{ name: h, pre: [{ exec: { command: [x], onError: fail } }] }] }", "spec.hooks.resources[0].pre[0].exec.onError")]
    [InlineData("hooks: { resources: [{ name: h, pre: [{ exec: { command: [x], timeout: fast } }] }] }", "spec.hooks.resources[0].pre[0].exec.timeout")]
    [InlineData("hooks: { resources: [{ name: h, pre: [{ exec: { command: [x], timeout: -30s } }] }] }", "spec.hooks.resources[0].pre[0].exec.timeout")]
    [InlineData("hooks: { resources: [{ name: h, pre: [{ exec: { command: [x], container: [a] } }] }] }", "spec.hooks.resources[0].pre[0].exec.container")]
    [InlineData("hooks: { resources: [{ name: h, includedNamespaces: a }] }", "spec.hooks.resources[0].includedNamespaces")]
    [InlineData("hooks: { resources: [{ name: h, labelSelector: { matchExpressions: [{ key: a, operator: Has }] } }] }", "spec.hooks.resources[0].labelSelector.matchExpressions[0].operator")]
    public void AWrongHookIsSpecInvalidNamingThePath(string specBody, string path)
    {
        var e = Assert.Throws<KbException>(() => VeleroBackupSpecTests.Manifest(specBody));
        Assert.Equal(ErrorIds.SpecInvalid, e.ErrorId);
        Assert.Equal(KbErrorCategory.InvalidArgument, e.Category);
        Assert.Contains($" {path} ", e.Message);
    }

    [Theory]
    [InlineData("apiVersion: velero.io/v1\nkind: Schedule\nmetadata: { name: s }\nspec: { schedule: \"0 * * * *\" }", "kind")]
    [InlineData("apiVersion: velero.io/v1\nmetadata: { name: b }", "kind")]
    [InlineData("apiVersion: velero.io/v2\nkind: Backup", "apiVersion")]
    [InlineData("apiVersion: v1\nkind: Backup", "apiVersion")]
    [InlineData("kind: Backup\nmetadata: { name: b }", "apiVersion")]
    [InlineData("apiVersion: velero.io/v1\nkind: [Backup]", "kind")]
    [InlineData("apiVersion: velero.io/v1\nkind: Backup\nspec: [includedNamespaces]", "spec")]
    [InlineData("apiVersion: velero.io/v1\nkind: Backup\nspec: production", "spec")]
    [InlineData("apiVersion: velero.io/v1\nkind: Backup\nmetadata: b", "metadata")]
    [InlineData("apiVersion: velero.io/v1\nkind: Backup\nmetadata: { name: [b] }", "metadata.name")]
    [InlineData("apiVersion: velero.io/v1\nkind: Backup\nmetadata: { name: b, labels: [a] }", "metadata.labels")]
    [InlineData("apiVersion: velero.io/v1\nkind: Backup\nmetadata: { name: b, labels: { team: \"a/b\" } }", "metadata.labels.team")]
    public void AWrongDocumentIsSpecInvalid(string yaml, string path)
    {
        var e = Assert.Throws<KbException>(() => VeleroBackupSpec.Parse(yaml, "backup.yaml"));
        Assert.Equal(ErrorIds.SpecInvalid, e.ErrorId);
        Assert.Equal(KbErrorCategory.InvalidArgument, e.Category);
        Assert.Equal("backup.yaml", e.Target);
        Assert.StartsWith("backup.yaml, line ", e.Message);
        Assert.Contains($" {path} ", e.Message);
    }

    [Fact]
    public void SeveralDocumentsAreSpecInvalid()
    {
        var e = Assert.Throws<KbException>(() => VeleroBackupSpec.Parse(
            SeedManifests.BackupWithHooks + "\n---\n" + SeedManifests.BackupWithHooks, "two.yaml"));
        Assert.Equal(ErrorIds.SpecInvalid, e.ErrorId);
        Assert.Contains("2 YAML documents", e.Message);
    }

    [Fact]
    public void TheSeedsSchedulesAreNotABackup()
    {
        var e = Assert.Throws<KbException>(() => VeleroBackupSpec.Parse(SeedManifests.Schedules, "schedules.yaml"));
        Assert.Equal(ErrorIds.SpecInvalid, e.ErrorId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n---\n")]
    public void NoDocumentIsSpecInvalid(string yaml)
    {
        var e = Assert.Throws<KbException>(() => VeleroBackupSpec.Parse(yaml, "<text>"));
        Assert.Equal(ErrorIds.SpecInvalid, e.ErrorId);
        Assert.Contains("no YAML document", e.Message);
    }

    [Theory]
    [InlineData("- apiVersion: velero.io/v1\n  kind: Backup\n", "a list")]
    [InlineData("just some words\n", "a string")]
    public void ADocumentThatIsNotAMappingIsSpecInvalid(string yaml, string shown)
    {
        var e = Assert.Throws<KbException>(() => VeleroBackupSpec.Parse(yaml, "<text>"));
        Assert.Equal(ErrorIds.SpecInvalid, e.ErrorId);
        Assert.Contains(shown, e.Message);
    }

    [Theory]
    [InlineData("apiVersion: velero.io/v1\nkind: Backup\nspec:\n  includedNamespaces: [production\n", 5)]
    [InlineData("apiVersion: velero.io/v1\nkind: Backup\nspec:\n  includedNamespaces:\n  - a\n   b: c\n", 6)]
    [InlineData("apiVersion: velero.io/v1\nkind: Backup\nspec:\n\tttl: 1h\n", 4)]
    [InlineData("apiVersion: velero.io/v1\nkind: Backup\nspec:\n  ttl: \"1h\n", 4)]
    [InlineData("apiVersion: velero.io/v1\nkind: Backup\nkind: Schedule\n", 3)]
    public void MalformedYamlIsSpecYamlInvalidWithLineAndColumn(string yaml, int line)
    {
        var e = Assert.Throws<KbException>(() => VeleroBackupSpec.Parse(yaml, "bad.yaml"));
        Assert.Equal(ErrorIds.SpecYamlInvalid, e.ErrorId);
        Assert.Equal(KbErrorCategory.InvalidArgument, e.Category);
        Assert.Equal("bad.yaml", e.Target);
        Assert.Matches($@"^bad\.yaml is not valid YAML: line {line}, column \d+: \S", e.Message);
        Assert.DoesNotContain("Idx:", e.Message);
    }
}
