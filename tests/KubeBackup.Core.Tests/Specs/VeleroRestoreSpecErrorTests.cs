using KubeBackup.Core.Errors;
using KubeBackup.Core.Specs;

namespace KubeBackup.Core.Tests.Specs;

public sealed class VeleroRestoreSpecErrorTests
{
    [Theory]
    [InlineData("includedNamespaces: production", "spec.includedNamespaces", 7)]
    [InlineData("excludedResources:\n  - events\n  - { kind: Event }", "spec.excludedResources[1]", 9)]
    [InlineData("includeClusterResources: \"true\"", "spec.includeClusterResources", 7)]
    [InlineData("preserveNodePorts: maybe", "spec.preserveNodePorts", 7)]
    [InlineData("restorePVs: [true]", "spec.restorePVs", 7)]
    [InlineData("labelSelector: { matchLabels: { app: \"a,b\" } }", "spec.labelSelector.matchLabels.app", 7)]
    [InlineData("orLabelSelectors: [app=a]", "spec.orLabelSelectors[0]", 7)]
    [InlineData("labelSelector: { matchLabels: { app: a } }\norLabelSelectors: [{ matchLabels: { app: b } }]", "spec.orLabelSelectors", 8)]
    [InlineData("includedNamespaces: [a, b]\nexcludedNamespaces: [b]", "spec.excludedNamespaces", 8)]
    [InlineData("includedResources: [pods]\nexcludedResources: [pods]", "spec.excludedResources", 8)]
    [InlineData("restoreStatus: [deployments]", "spec.restoreStatus", 7)]
    [InlineData("restoreStatus: { includedResources: deployments }", "spec.restoreStatus.includedResources", 7)]
    [InlineData("existingResourcePolicy: [update]", "spec.existingResourcePolicy", 7)]
    [InlineData("namespaceMapping: [a, b]", "spec.namespaceMapping", 7)]
    [InlineData("namespaceMapping:\n  production: Production-Restored", "spec.namespaceMapping.production", 8)]
    [InlineData("namespaceMapping:\n  production: prod_restored", "spec.namespaceMapping.production", 8)]
    [InlineData("namespaceMapping:\n  production: -restored", "spec.namespaceMapping.production", 8)]
    [InlineData("namespaceMapping:\n  production:", "spec.namespaceMapping.production", 8)]
    [InlineData("namespaceMapping:\n  production: [dr]", "spec.namespaceMapping.production", 8)]
    [InlineData("namespaceMapping:\n  production: a-namespace-name-that-is-far-too-long-to-be-a-dns-label-at-all-sixty-four", "spec.namespaceMapping.production", 8)]
    [InlineData("namespaceMapping:\n  production: dr\n  staging: qa\n  shop: dr", "spec.namespaceMapping.shop", 10)]
    [InlineData("scheduleName: { name: s }", "spec.scheduleName", 7)]
    public void AWrongSpecFieldIsSpecInvalidNamingThePathAndLine(string specBody, string path, int line)
    {
        var e = Assert.Throws<KbException>(() => VeleroRestoreSpecTests.Manifest(specBody));
        Assert.Equal(ErrorIds.SpecInvalid, e.ErrorId);
        Assert.Equal(KbErrorCategory.InvalidArgument, e.Category);
        Assert.Equal("<text>", e.Target);
        Assert.Contains($" {path} ", e.Message);
        Assert.Contains($"line {line},", e.Message);
    }

    [Fact]
    public void AnUnknownPolicyListsTheAllowedValues()
    {
        var e = Assert.Throws<KbException>(() => VeleroRestoreSpecTests.Manifest("existingResourcePolicy: Update"));
        Assert.Equal("<text>, line 7, column 27: spec.existingResourcePolicy is 'Update'; use none (leave objects that already exist, the default) "
            + "or update (patch them to the backed-up state).", e.Message);
    }

    [Fact]
    public void TwoNamespacesMappedToOneNameBoth()
    {
        var e = Assert.Throws<KbException>(() => VeleroRestoreSpecTests.Manifest("namespaceMapping: { a: dr, b: dr }"));
        Assert.Contains("spec.namespaceMapping.b maps to 'dr', as spec.namespaceMapping.a does; two namespaces cannot be restored into one", e.Message);
    }

    [Theory]
    [InlineData("spec: {}")]
    [InlineData("spec: { backupName: \"\", includedNamespaces: [a] }")]
    [InlineData("spec: { scheduleName: ~ }")]
    public void ARestoreNamingNoBackupIsInvalid(string spec)
    {
        var e = Assert.Throws<KbException>(() => VeleroRestoreSpec.Parse($"apiVersion: velero.io/v1\nkind: Restore\nmetadata: {{ name: r }}\n{spec}\n", "r.yaml"));
        Assert.Equal(ErrorIds.SpecInvalid, e.ErrorId);
        Assert.StartsWith("r.yaml, line 4, column 7: spec names no backup; set backupName", e.Message);
    }

    [Theory]
    [InlineData("apiVersion: velero.io/v1\nkind: Backup\nmetadata: { name: b }\nspec: { backupName: b }", "kind")]
    [InlineData("apiVersion: velero.io/v1\nmetadata: { name: r }", "kind")]
    [InlineData("apiVersion: velero.io/v2\nkind: Restore\nspec: { backupName: b }", "apiVersion")]
    [InlineData("kind: Restore\nspec: { backupName: b }", "apiVersion")]
    [InlineData("apiVersion: velero.io/v1\nkind: Restore\nmetadata: { name: r }", "spec")]
    [InlineData("apiVersion: velero.io/v1\nkind: Restore\nspec: [backupName]", "spec")]
    [InlineData("apiVersion: velero.io/v1\nkind: Restore\nspec: { backupName: [b] }", "spec.backupName")]
    [InlineData("apiVersion: velero.io/v1\nkind: Restore\nmetadata: { name: [r] }\nspec: { backupName: b }", "metadata.name")]
    [InlineData("apiVersion: velero.io/v1\nkind: Restore\nmetadata: { name: r, labels: { team: \"a/b\" } }\nspec: { backupName: b }", "metadata.labels.team")]
    public void AWrongDocumentIsSpecInvalid(string yaml, string path)
    {
        var e = Assert.Throws<KbException>(() => VeleroRestoreSpec.Parse(yaml, "restore.yaml"));
        Assert.Equal(ErrorIds.SpecInvalid, e.ErrorId);
        Assert.Equal("restore.yaml", e.Target);
        Assert.StartsWith("restore.yaml, line ", e.Message);
        Assert.Contains($" {path} ", e.Message);
    }

    [Fact]
    public void TwoDocumentsAreOneTooMany()
    {
        var e = Assert.Throws<KbException>(() => VeleroRestoreSpec.Parse(
            "apiVersion: velero.io/v1\nkind: Restore\nspec: { backupName: a }\n---\napiVersion: velero.io/v1\nkind: Restore\nspec: { backupName: b }\n", "r.yaml"));
        Assert.Equal(ErrorIds.SpecInvalid, e.ErrorId);
        Assert.Equal("r.yaml holds 2 YAML documents; give exactly one Velero Restore manifest.", e.Message);
    }

    [Fact]
    public void BrokenYamlIsSpecYamlInvalidWithTheLine()
    {
        var e = Assert.Throws<KbException>(() => VeleroRestoreSpec.Parse("apiVersion: velero.io/v1\nkind: Restore\nspec:\n  backupName: [b\n", "r.yaml"));
        Assert.Equal(ErrorIds.SpecYamlInvalid, e.ErrorId);
        Assert.StartsWith("r.yaml is not valid YAML: line ", e.Message);
    }
}
