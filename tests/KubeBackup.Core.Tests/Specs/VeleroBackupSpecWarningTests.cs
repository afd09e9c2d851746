using KubeBackup.Core.Specs;

namespace KubeBackup.Core.Tests.Specs;

public sealed class VeleroBackupSpecWarningTests
{
    [Theory]
    [InlineData("includedNamespace: [a]", "spec.includedNamespace is not a Backup field", "did you mean includedNamespaces?")]
    [InlineData("excludeResources: [events]", "spec.excludeResources is not a Backup field", "did you mean excludedResources?")]
    [InlineData("includeClusterResource: true", "spec.includeClusterResource is not a Backup field", "did you mean includeClusterResources?")]
    [InlineData("labelselector: {}", "spec.labelselector is not a Backup field", "did you mean labelSelector?")]
    [InlineData("tll: 1h", "spec.tll is not a Backup field", "did you mean ttl?")]
    [InlineData("storageLoaction: default", "spec.storageLoaction is not a Backup field", "did you mean storageLocation?")]
    [InlineData("labelSelector: { matchLabel: { app: a } }", "spec.labelSelector.matchLabel is not a label selector field", "did you mean matchLabels?")]
    [InlineData("labelSelector: { matchExpressions: [{ key: a, operator: Exists, value: [] }] }", "spec.labelSelector.matchExpressions[0].value is not a label selector requirement field", "did you mean values?")]
    [InlineData("hooks: { resource: [] }", "spec.hooks.resource is not a hooks field", "did you mean resources?")]
    [InlineData("hooks: { resources: [{ name: h, pres: [] }] }", "spec.hooks.resources[0].pres is not a hook field", "did you mean pre?")]
    [InlineData("hooks: { resources: [{ name: h, pre: [{ exec: { command: [x], timout: 5s } }] }] }", "spec.hooks.resources[0].pre[0].exec.timout is not an exec hook field", "did you mean timeout?")]
    [InlineData("metadata: { label: { a: b } }", "spec.metadata.label is not a backup metadata field", "did you mean labels?")]
    public void AnUnknownFieldIsAWarningWithASuggestion(string specBody, string expected, string suggestion)
    {
        var manifest = VeleroBackupSpecTests.Manifest(specBody);
        var warning = Assert.Single(manifest.Warnings);
        Assert.Contains(expected, warning);
        Assert.EndsWith(suggestion, warning);
        Assert.StartsWith("<text>, line 6, column ", warning);
    }

    [Fact]
    public void AFieldNothingLikeAnyOtherGetsNoSuggestion()
    {
        var warning = Assert.Single(VeleroBackupSpecTests.Manifest("frobnicate: yes").Warnings);
        Assert.Equal("<text>, line 6, column 3: spec.frobnicate is not a Backup field and was ignored.", warning);
    }

    [Fact]
    public void AnUnknownTopLevelFieldIsAWarning()
    {
        var manifest = VeleroBackupSpec.Parse("apiVersion: velero.io/v1\nkind: Backup\nmetadata: { name: b }\nspecs: { ttl: 1h }\n", "<text>");
        var warning = Assert.Single(manifest.Warnings);
        Assert.Contains("specs is not a Backup manifest field", warning);
        Assert.EndsWith("did you mean spec?", warning);
    }

    [Theory]
    [InlineData("volumeSnapshotLocations: [default]", "spec.volumeSnapshotLocations is ignored", "CSI snapshots only")]
    [InlineData("snapshotMoveData: true", "spec.snapshotMoveData is ignored", "moves no snapshot data")]
    [InlineData("defaultVolumesToFsBackup: true", "spec.defaultVolumesToFsBackup is ignored", "node agent")]
    [InlineData("defaultVolumesToRestic: true", "spec.defaultVolumesToRestic is ignored", "node agent")]
    [InlineData("uploaderConfig: { parallelFilesUpload: 4 }", "spec.uploaderConfig is ignored", "node agent")]
    [InlineData("includedClusterScopedResources: [storageclasses]", "spec.includedClusterScopedResources is ignored", "includeClusterResources")]
    [InlineData("excludedNamespaceScopedResources: [secrets]", "spec.excludedNamespaceScopedResources is ignored", "excludedResources")]
    [InlineData("orderedResources: { pods: \"ns1/pod1\" }", "spec.orderedResources is ignored", "concurrently")]
    [InlineData("itemOperationTimeout: 4h", "spec.itemOperationTimeout is ignored", "plugins")]
    [InlineData("resourcePolicy: { kind: configmap, name: policy }", "spec.resourcePolicy is ignored", "resource policies")]
    [InlineData("volumeGroupSnapshotLabelKey: group", "spec.volumeGroupSnapshotLabelKey is ignored", "CSI snapshots only")]
    public void AVeleroFieldKubeBackupLacksIsAWarning(string specBody, string expected, string reason)
    {
        var manifest = VeleroBackupSpecTests.Manifest(specBody);
        var warning = Assert.Single(manifest.Warnings);
        Assert.Contains(expected, warning);
        Assert.Contains(reason, warning);
    }

    [Theory]
    [InlineData("snapshotVolumes: false")]
    [InlineData("snapshotVolumes: true")]
    [InlineData("csiSnapshotTimeout: 10m")]
    [InlineData("snapshotMoveData: false")]
    [InlineData("defaultVolumesToFsBackup: false")]
    [InlineData("volumeSnapshotLocations: []")]
    public void AnIgnoredFieldThatAsksForNothingAndASupportedOneAreQuiet(string specBody)
    {
        Assert.Empty(VeleroBackupSpecTests.Manifest(specBody).Warnings);
    }

    [Fact]
    public void AHookEntryThatIsNotExecIsSkippedWithAWarning()
    {
        var manifest = VeleroBackupSpecTests.Manifest("""
            hooks:
              resources:
                - name: h
                  pre:
                    - init: { container: c }
                    - exec: { command: [sync] }
            """);
        var hook = Assert.Single(manifest.Spec.Hooks);
        var exec = Assert.Single(hook.Pre);
        Assert.Equal(["sync"], exec.Command);
        var warning = Assert.Single(manifest.Warnings);
        Assert.Contains("spec.hooks.resources[0].pre[0] is not an exec hook (init)", warning);
        Assert.Contains("skipped", warning);
    }

    [Theory]
    [InlineData("includedResources: [deployments]")]
    [InlineData("excludedResources: [pods]")]
    [InlineData("excludedResources: [\"*\"]")]
    public void AHookWhoseResourceFilterRulesOutPodsIsSkipped(string filter)
    {
        var manifest = VeleroBackupSpecTests.Manifest($$"""
            hooks:
              resources:
                - name: never
                  {{filter}}
                  pre: [{ exec: { command: [sync] } }]
            """);
        Assert.Empty(manifest.Spec.Hooks);
        var warning = Assert.Single(manifest.Warnings);
        Assert.Contains("('never')", warning);
        Assert.Contains("never run it", warning);
    }

    [Theory]
    [InlineData("includedResources: [pods]")]
    [InlineData("includedResources: [po, deployments]")]
    [InlineData("includedResources: [\"*\"]")]
    [InlineData("excludedResources: [deployments]")]
    public void AHookWhoseResourceFilterKeepsPodsRuns(string filter)
    {
        var manifest = VeleroBackupSpecTests.Manifest($$"""
            hooks:
              resources:
                - name: runs
                  {{filter}}
                  pre: [{ exec: { command: [sync] } }]
            """);
        Assert.Single(manifest.Spec.Hooks);
        Assert.Empty(manifest.Warnings);
    }

    [Fact]
    public void GenerateNameIsAWarning()
    {
        var manifest = VeleroBackupSpec.Parse("apiVersion: velero.io/v1\nkind: Backup\nmetadata: { generateName: nightly- }\n", "<text>");
        Assert.Null(manifest.Name);
        Assert.Contains("metadata.generateName is ignored", Assert.Single(manifest.Warnings));
    }

    [Fact]
    public void SnapshotVolumesAndItsTimeoutAreMapped()
    {
        var manifest = VeleroBackupSpecTests.Manifest("snapshotVolumes: true\ncsiSnapshotTimeout: 20m");
        Assert.Empty(manifest.Warnings);
        Assert.True(manifest.Spec.SnapshotVolumes);
        Assert.Equal(TimeSpan.FromMinutes(20), manifest.Spec.SnapshotTimeout);
    }

    [Theory]
    [InlineData("csiSnapshotTimeout: 0s")]
    [InlineData("csiSnapshotTimeout: -5m")]
    [InlineData("csiSnapshotTimeout: soon")]
    public void AnInvalidSnapshotTimeoutIsAnError(string specBody)
    {
        var e = Assert.Throws<KubeBackup.Core.Errors.KbException>(() => VeleroBackupSpecTests.Manifest(specBody));
        Assert.Contains("spec.csiSnapshotTimeout", e.Message);
    }

    [Fact]
    public void WarningsNameTheSourceFileAndLine()
    {
        var manifest = VeleroBackupSpec.Parse("apiVersion: velero.io/v1\nkind: Backup\nspec:\n  ttl: 1h\n  snapshotMoveData: true\n", "/backups/b.yaml");
        Assert.StartsWith("/backups/b.yaml, line 5, column 3: spec.snapshotMoveData is ignored", Assert.Single(manifest.Warnings));
    }
}
