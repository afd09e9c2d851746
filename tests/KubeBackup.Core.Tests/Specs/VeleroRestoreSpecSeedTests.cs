using KubeBackup.Core.Restore;
using KubeBackup.Core.Specs;

namespace KubeBackup.Core.Tests.Specs;

/// <summary>The seed's restores (section 4), as the Restore manifests its velero commands create.</summary>
public sealed class VeleroRestoreSpecSeedTests
{
    private static readonly IReadOnlyList<string> Commands = VeleroRestoreCommand.Commands(SeedManifests.RestoreCommands);

    private static VeleroRestoreManifest Restore(int index) =>
        VeleroRestoreSpec.Parse(VeleroRestoreCommand.ToManifest(Commands[index]), "seed.yaml");

    [Fact]
    public void TheSeedHasSixRestores()
    {
        Assert.Equal(6, Commands.Count);
        Assert.All(Commands, c => Assert.Contains("--from-backup daily-full-backup-20260118", c));
    }

    [Fact]
    public void EveryRestoreReadsWithoutWarnings()
    {
        for (var i = 0; i < Commands.Count; i++)
        {
            var manifest = Restore(i);
            Assert.Empty(manifest.Warnings);
            Assert.Equal("daily-full-backup-20260118", manifest.Spec.BackupName);
            Assert.Null(manifest.Spec.ScheduleName);
            Assert.Equal(ExistingResourcePolicy.Skip, manifest.Spec.ExistingResourcePolicy);
        }
    }

    [Fact]
    public void AFullRestoreTakesEveryNamespace()
    {
        var restore = Restore(0);
        Assert.Equal("daily-full-backup-20260118-20260118120000", restore.Name);
        Assert.Equal(["*"], restore.Spec.IncludedNamespaces);
        Assert.Empty(restore.Spec.IncludedResources);
        Assert.Empty(restore.Spec.NamespaceMapping);
        Assert.Null(restore.Spec.IncludeClusterResources);
    }

    [Fact]
    public void SelectiveRestoresFilterNamespacesAndResources()
    {
        Assert.Equal(["production"], Restore(1).Spec.IncludedNamespaces);
        Assert.Equal(["deployments", "services", "configmaps"], Restore(2).Spec.IncludedResources);
        Assert.Equal(["persistentvolumeclaims"], Restore(4).Spec.ExcludedResources);
        Assert.Equal(["*"], Restore(4).Spec.IncludedNamespaces);
    }

    [Fact]
    public void RestoringIntoANewNamespaceMapsIt()
    {
        var mapping = Restore(3).Spec.NamespaceMapping;
        Assert.Equal("production-restored", Assert.Single(mapping, m => m.Key == "production").Value);
        Assert.Single(mapping);
    }

    [Fact]
    public void TheCrossClusterRestoreHasItsName()
    {
        Assert.Equal("cross-cluster-restore", Restore(5).Name);
    }
}
