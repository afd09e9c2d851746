namespace KubeBackup.Core.Restore;

/// <summary>
/// What a restore takes and how, with the meaning of Velero's Restore spec. Namespace filters match the namespace an
/// item had in the backup (before <see cref="NamespaceMapping"/>) and accept wildcards; resource filters accept the
/// names kubectl accepts (<c>deployments</c>, <c>deployments.apps</c>, <c>deploy</c>) and <c>*</c>.
/// </summary>
public sealed record RestoreSpec
{
    /// <summary>The backup to restore; null with <see cref="ScheduleName"/> means that schedule's newest backup.</summary>
    public string? BackupName { get; init; }

    /// <summary>Restore the newest Completed (or PartiallyFailed) backup made by this schedule.</summary>
    public string? ScheduleName { get; init; }

    /// <summary>Empty means every namespace of the backup.</summary>
    public IReadOnlyList<string> IncludedNamespaces { get; init; } = [];

    public IReadOnlyList<string> ExcludedNamespaces { get; init; } = [];

    /// <summary>Empty means every resource type of the backup.</summary>
    public IReadOnlyList<string> IncludedResources { get; init; } = [];

    public IReadOnlyList<string> ExcludedResources { get; init; } = [];

    /// <summary>Kubernetes label selector syntax; null restores every item.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Items matching any of these selectors (Velero's orLabelSelectors).</summary>
    public IReadOnlyList<string> OrLabelSelectors { get; init; } = [];

    /// <summary>Original namespace → target namespace. The Namespace object, RoleBinding subjects and PV claimRefs follow it.</summary>
    public IReadOnlyDictionary<string, string> NamespaceMapping { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Velero's three-valued rule. null: cluster-scoped items are restored when every namespace is, and otherwise only
    /// those the restored namespaced items need (their CRDs, the PVs of their claims). true: all. false: none.
    /// </summary>
    public bool? IncludeClusterResources { get; init; }

    public ExistingResourcePolicy ExistingResourcePolicy { get; init; } = ExistingResourcePolicy.Skip;

    /// <summary>Resource types whose status is restored too (Velero's restoreStatus.includedResources; <c>*</c> for all).</summary>
    public IReadOnlyList<string> RestoreStatusIncludedResources { get; init; } = [];

    public IReadOnlyList<string> RestoreStatusExcludedResources { get; init; } = [];

    /// <summary>Keep the nodePorts of Services (Velero's preserveNodePorts); otherwise the target cluster assigns new ones.</summary>
    public bool PreserveNodePorts { get; init; }

    /// <summary>
    /// Restore Deployments and StatefulSets in standby form (Sync-KbStandby): at 0 replicas, the backed-up count recorded
    /// in this annotation (<c>original-replicas</c>) for failover to scale back to. Null restores them as backed up.
    /// </summary>
    public string? StandbyAnnotation { get; init; }

    /// <summary>Labels of the restore record itself.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
