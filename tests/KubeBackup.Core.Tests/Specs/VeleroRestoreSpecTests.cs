using KubeBackup.Core.Restore;
using KubeBackup.Core.Specs;

namespace KubeBackup.Core.Tests.Specs;

public sealed class VeleroRestoreSpecTests
{
    private const string Everything = """
        apiVersion: velero.io/v1
        kind: Restore
        metadata:
          name: prod-into-dr
          namespace: velero
          labels:
            team: platform
        spec:
          backupName: nightly-20260118
          includedNamespaces: [production, "shop-*"]
          excludedNamespaces: [shop-staging]
          includedResources: [deployments, services, persistentvolumeclaims]
          excludedResources: [secrets]
          namespaceMapping:
            production: production-restored
            shop-eu: shop-eu-dr
          labelSelector:
            matchLabels: { app: web }
            matchExpressions:
              - { key: tier, operator: In, values: [frontend, api] }
          restoreStatus:
            includedResources: [databases.example.com]
            excludedResources: [deployments]
          includeClusterResources: false
          preserveNodePorts: true
          existingResourcePolicy: update
          restorePVs: true
        """;

    [Fact]
    public void EveryMappedFieldReachesTheRestoreSpec()
    {
        var manifest = VeleroRestoreSpec.Parse(Everything, "restore.yaml");
        Assert.Empty(manifest.Warnings);
        Assert.Equal("prod-into-dr", manifest.Name);
        var spec = manifest.Spec;
        Assert.Equal("nightly-20260118", spec.BackupName);
        Assert.Null(spec.ScheduleName);
        Assert.Equal(["production", "shop-*"], spec.IncludedNamespaces);
        Assert.Equal(["shop-staging"], spec.ExcludedNamespaces);
        Assert.Equal(["deployments", "services", "persistentvolumeclaims"], spec.IncludedResources);
        Assert.Equal(["secrets"], spec.ExcludedResources);
        Assert.Equal(new Dictionary<string, string> { ["production"] = "production-restored", ["shop-eu"] = "shop-eu-dr" }, spec.NamespaceMapping);
        Assert.Equal("app=web,tier in (frontend,api)", spec.LabelSelector);
        Assert.Empty(spec.OrLabelSelectors);
        Assert.Equal(["databases.example.com"], spec.RestoreStatusIncludedResources);
        Assert.Equal(["deployments"], spec.RestoreStatusExcludedResources);
        Assert.False(spec.IncludeClusterResources);
        Assert.True(spec.PreserveNodePorts);
        Assert.Equal(ExistingResourcePolicy.Update, spec.ExistingResourcePolicy);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "platform" }, spec.Labels);
    }

    [Fact]
    public void ABackupNameAloneGivesVelerosDefaults()
    {
        var manifest = Manifest(string.Empty);
        Assert.Empty(manifest.Warnings);
        var spec = manifest.Spec;
        Assert.Equal("b", spec.BackupName);
        Assert.Empty(spec.IncludedNamespaces);
        Assert.Empty(spec.IncludedResources);
        Assert.Empty(spec.NamespaceMapping);
        Assert.Null(spec.LabelSelector);
        Assert.Null(spec.IncludeClusterResources);
        Assert.False(spec.PreserveNodePorts);
        Assert.Equal(ExistingResourcePolicy.Skip, spec.ExistingResourcePolicy);
        Assert.Empty(spec.RestoreStatusIncludedResources);
    }

    [Theory]
    [InlineData("existingResourcePolicy: none", ExistingResourcePolicy.Skip)]
    [InlineData("existingResourcePolicy: update", ExistingResourcePolicy.Update)]
    [InlineData("existingResourcePolicy: \"\"", ExistingResourcePolicy.Skip)]
    [InlineData("existingResourcePolicy:", ExistingResourcePolicy.Skip)]
    public void ExistingResourcePolicyIsNoneOrUpdate(string field, ExistingResourcePolicy expected)
    {
        Assert.Equal(expected, Manifest(field).Spec.ExistingResourcePolicy);
    }

    [Fact]
    public void AScheduleNameAloneRestoresThatSchedulesNewestBackup()
    {
        var spec = VeleroRestoreSpec.Parse("apiVersion: velero.io/v1\nkind: Restore\nmetadata: { name: r }\nspec: { scheduleName: daily }\n", "<text>").Spec;
        Assert.Null(spec.BackupName);
        Assert.Equal("daily", spec.ScheduleName);
    }

    [Fact]
    public void OrLabelSelectorsAreKeptApart()
    {
        var spec = Manifest("orLabelSelectors:\n  - matchLabels: { app: web }\n  - matchLabels: { app: db }").Spec;
        Assert.Equal(["app=web", "app=db"], spec.OrLabelSelectors);
        Assert.Null(spec.LabelSelector);
    }

    [Fact]
    public void IncludeClusterResourcesKeepsItsThreeValues()
    {
        Assert.Null(Manifest("includeClusterResources: null").Spec.IncludeClusterResources);
        Assert.True(Manifest("includeClusterResources: true").Spec.IncludeClusterResources);
        Assert.False(Manifest("includeClusterResources: false").Spec.IncludeClusterResources);
    }

    /// <summary>A Restore of backup "b" whose spec continues with <paramref name="specBody"/>, from line 7.</summary>
    internal static VeleroRestoreManifest Manifest(string specBody)
    {
        var indented = string.Join('\n', specBody.Split('\n').Select(line => "  " + line));
        return VeleroRestoreSpec.Parse($"apiVersion: velero.io/v1\nkind: Restore\nmetadata:\n  name: r\nspec:\n  backupName: b\n{indented}\n", "<text>");
    }
}
