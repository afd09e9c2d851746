using KubeBackup.Core.Errors;
using KubeBackup.Core.Specs;

namespace KubeBackup.Core.Tests.Specs;

public sealed class VeleroRestoreSpecWarningTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kb-restore-spec-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("namespaceMappings: { a: b }", "spec.namespaceMappings is not a Restore field", "did you mean namespaceMapping?")]
    [InlineData("restorePV: true", "spec.restorePV is not a Restore field", "did you mean restorePVs?")]
    [InlineData("existingResourcesPolicy: update", "spec.existingResourcesPolicy is not a Restore field", "did you mean existingResourcePolicy?")]
    [InlineData("preserveNodePort: true", "spec.preserveNodePort is not a Restore field", "did you mean preserveNodePorts?")]
    [InlineData("restoreStatus: { includeResources: [a] }", "spec.restoreStatus.includeResources is not a restoreStatus field", "did you mean includedResources?")]
    public void AnUnknownFieldIsAWarningWithASuggestion(string specBody, string expected, string suggestion)
    {
        var warning = Assert.Single(VeleroRestoreSpecTests.Manifest(specBody).Warnings);
        Assert.Contains(expected, warning);
        Assert.EndsWith(suggestion, warning);
        Assert.StartsWith("<text>, line 7, column ", warning);
    }

    [Theory]
    [InlineData("hooks: { resources: [{ name: h }] }", "spec.hooks is ignored: restore hooks")]
    [InlineData("resourceModifier: { kind: ConfigMap, name: m }", "spec.resourceModifier is ignored: resource modifiers")]
    [InlineData("uploaderConfig: { writeSparseFiles: true }", "spec.uploaderConfig is ignored: KubeBackup has no node agent")]
    [InlineData("itemOperationTimeout: 4h", "spec.itemOperationTimeout is ignored: KubeBackup runs no asynchronous restore item actions")]
    [InlineData("restorePVs: false", "spec.restorePVs: false is ignored: volumes are restored from their snapshots when the backup has them")]
    public void AVeleroFeatureKubeBackupLacksIsAWarning(string specBody, string expected)
    {
        var manifest = VeleroRestoreSpecTests.Manifest(specBody);
        Assert.StartsWith($"<text>, line 7, column 3: {expected}", Assert.Single(manifest.Warnings));
        Assert.Equal("b", manifest.Spec.BackupName);
    }

    [Theory]
    [InlineData("hooks: {}")]
    [InlineData("uploaderConfig: {}")]
    [InlineData("itemOperationTimeout: 0s")]
    [InlineData("resourceModifier:")]
    [InlineData("restorePVs: true")]
    [InlineData("restorePVs: null")]
    public void AFeatureLeftOffIsQuiet(string specBody)
    {
        Assert.Empty(VeleroRestoreSpecTests.Manifest(specBody).Warnings);
    }

    [Fact]
    public void WithBothNamesTheBackupIsRestoredAndTheScheduleNamedInAWarning()
    {
        var manifest = VeleroRestoreSpecTests.Manifest("scheduleName: daily");
        Assert.Equal("b", manifest.Spec.BackupName);
        Assert.Null(manifest.Spec.ScheduleName);
        Assert.Equal("<text>, line 7, column 17: spec.scheduleName is ignored because spec.backupName is set; as Velero does, the backup 'b' is restored.",
            Assert.Single(manifest.Warnings));
    }

    [Fact]
    public void AnExportedRestoreWithStatusReadsQuietly()
    {
        var manifest = VeleroRestoreSpec.Parse("""
            apiVersion: velero.io/v1
            kind: Restore
            metadata:
              name: r
              namespace: velero
              uid: 6f0c
              resourceVersion: "123"
            spec:
              backupName: b
            status:
              phase: Completed
              warnings: 2
            """, "<text>");
        Assert.Empty(manifest.Warnings);
    }

    [Fact]
    public void AFileIsReadRelativeToTheBaseDirectory()
    {
        File.WriteAllText(Path.Combine(_directory, "restore.yaml"), "apiVersion: velero.io/v1\nkind: Restore\nmetadata: { name: from-file }\nspec: { backupName: b }\n");
        Assert.Equal("from-file", VeleroRestoreSpec.Load("restore.yaml", _directory).Name);
        Assert.Equal("from-text", VeleroRestoreSpec.Load("{apiVersion: velero.io/v1, kind: Restore, metadata: {name: from-text}, spec: {backupName: b}}", _directory).Name);
    }

    [Fact]
    public void AMissingFileIsSpecFileNotFound()
    {
        var e = Assert.Throws<KbException>(() => VeleroRestoreSpec.Load("nope.yaml", _directory));
        Assert.Equal(ErrorIds.SpecFileNotFound, e.ErrorId);
        Assert.Equal(Path.Combine(_directory, "nope.yaml"), e.Target);
    }
}
