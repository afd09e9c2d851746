namespace KubeBackup.Core.Restore;

/// <summary>
/// DESIGN §4's restore order as data: tiers restored one after another, each item of a tier independent of the others
/// in it (so a tier is restored concurrently). Names are full resource names as kubectl says them (<c>resource</c> for
/// the core group, <c>resource.group</c> otherwise); everything not listed is in the last tier, after these.
/// </summary>
public static class RestorePriorities
{
    private const string Storage = "storage.k8s.io";
    private const string Snapshot = "snapshot.storage.k8s.io";
    private const string Rbac = "rbac.authorization.k8s.io";

    public static IReadOnlyList<IReadOnlyList<string>> Tiers { get; } =
    [
        // Custom resources of any later tier need their definitions served (the restore waits for Established).
        ["customresourcedefinitions.apiextensions.k8s.io"],
        ["namespaces"],
        // Claims and snapshots name their classes; provisioning reads the class when the claim arrives.
        ["storageclasses." + Storage],
        ["volumesnapshotclasses." + Snapshot],
        ["volumesnapshotcontents." + Snapshot],
        ["volumesnapshots." + Snapshot],
        // Volumes before their claims, so a claim binds to its restored volume rather than a newly provisioned one.
        ["persistentvolumes"],
        ["persistentvolumeclaims"],
        // Creating a binding needs the permissions of its role (escalation check), so roles come first.
        ["clusterroles." + Rbac, "roles." + Rbac],
        ["clusterrolebindings." + Rbac, "rolebindings." + Rbac],
        // The token controller deletes a token secret whose service account does not exist.
        ["serviceaccounts"],
        ["secrets", "configmaps"],
        // Admission applies limit-range defaults and resolves priority classes when a pod is created.
        ["limitranges", "priorityclasses.scheduling.k8s.io"],
        // Pods before ReplicaSets, so a restored ReplicaSet adopts them instead of starting more.
        ["pods"],
        ["replicasets.apps"],
        // Endpoints before Services, so the endpoints of a Service without a selector are there when it appears.
        ["endpoints", "endpointslices.discovery.k8s.io"],
        ["services"],
    ];

    /// <summary><see cref="Tiers"/>.Count + 1: the listed tiers and the rest.</summary>
    public static int TierCount => Tiers.Count + 1;

    private static readonly Dictionary<string, int> TierByName = Tiers
        .SelectMany((names, tier) => names.Select(name => (name, tier)))
        .ToDictionary(p => p.name, p => p.tier, StringComparer.Ordinal);

    /// <summary>The 0-based tier of a resource type (group "" is the core group); <see cref="Tiers"/>.Count for the rest.</summary>
    public static int TierOf(string group, string resource) =>
        TierByName.TryGetValue(group.Length == 0 ? resource : $"{resource}.{group}", out var tier) ? tier : Tiers.Count;
}
