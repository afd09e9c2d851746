using KubeBackup.Core.Restore;

namespace KubeBackup.Core.Tests.Restore.Transforms;

public sealed class RestorePrioritiesTests
{
    [Fact]
    public void CustomResourceDefinitionsComeFirst() =>
        Assert.Equal(0, RestorePriorities.TierOf("apiextensions.k8s.io", "customresourcedefinitions"));

    [Fact]
    public void DesignOrderIsKept()
    {
        string[][] order =
        [
            ["", "namespaces"], ["storage.k8s.io", "storageclasses"], ["snapshot.storage.k8s.io", "volumesnapshotclasses"],
            ["snapshot.storage.k8s.io", "volumesnapshotcontents"], ["snapshot.storage.k8s.io", "volumesnapshots"],
            ["", "persistentvolumes"], ["", "persistentvolumeclaims"], ["rbac.authorization.k8s.io", "roles"],
            ["rbac.authorization.k8s.io", "rolebindings"], ["", "serviceaccounts"], ["", "secrets"], ["", "limitranges"],
            ["", "pods"], ["apps", "replicasets"], ["", "endpoints"], ["", "services"],
        ];
        var tiers = order.Select(p => RestorePriorities.TierOf(p[0], p[1])).ToList();
        Assert.Equal(tiers.Order(), tiers);
        Assert.Equal(tiers.Count, tiers.Distinct().Count());
        Assert.True(tiers[^1] < RestorePriorities.Tiers.Count);
    }

    [Fact]
    public void SameTierTypesAreIndependent()
    {
        Assert.Equal(RestorePriorities.TierOf("", "secrets"), RestorePriorities.TierOf("", "configmaps"));
        Assert.Equal(RestorePriorities.TierOf("", "limitranges"), RestorePriorities.TierOf("scheduling.k8s.io", "priorityclasses"));
        Assert.Equal(RestorePriorities.TierOf("rbac.authorization.k8s.io", "roles"), RestorePriorities.TierOf("rbac.authorization.k8s.io", "clusterroles"));
    }

    [Fact]
    public void EverythingElseIsLast()
    {
        var last = RestorePriorities.Tiers.Count;
        Assert.Equal(last + 1, RestorePriorities.TierCount);
        Assert.Equal(last, RestorePriorities.TierOf("example.com", "widgets"));
        Assert.Equal(last, RestorePriorities.TierOf("apps", "deployments"));
        // The group is part of the name: a custom "pods" resource is not core pods.
        Assert.Equal(last, RestorePriorities.TierOf("example.com", "pods"));
        Assert.Equal(last, RestorePriorities.TierOf("", "replicasets"));
    }

    [Fact]
    public void EveryNameIsListedOnce()
    {
        var names = RestorePriorities.Tiers.SelectMany(t => t).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(RestorePriorities.Tiers, t => Assert.NotEmpty(t));
    }
}
