using KubeBackup.Core.Backup.Hooks;

namespace KubeBackup.Core.Backup;

/// <summary>
/// What a backup takes, with the meaning of Velero's Backup spec. Namespace filters accept wildcards (<c>*</c>, <c>?</c>);
/// resource filters accept the names kubectl accepts (<c>deployments</c>, <c>deployments.apps</c>, <c>deploy</c>,
/// <c>events.events.k8s.io</c>) and <c>*</c>.
/// </summary>
public sealed record BackupSpec
{
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromDays(30);

    /// <summary>Empty means every namespace.</summary>
    public IReadOnlyList<string> IncludedNamespaces { get; init; } = [];

    public IReadOnlyList<string> ExcludedNamespaces { get; init; } = [];

    /// <summary>Empty means every resource type.</summary>
    public IReadOnlyList<string> IncludedResources { get; init; } = [];

    public IReadOnlyList<string> ExcludedResources { get; init; } = [];

    /// <summary>Kubernetes label selector syntax, equality and set-based; null selects everything.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Objects matching any of these selectors (Velero's orLabelSelectors); not combined with <see cref="LabelSelector"/>.</summary>
    public IReadOnlyList<string> OrLabelSelectors { get; init; } = [];

    /// <summary>
    /// Velero's three-valued rule. null: cluster-scoped resources are taken when every namespace is, and otherwise only
    /// those the namespaced items need (their CRDs, the PersistentVolumes of their claims). true: all of them. false: none.
    /// </summary>
    public bool? IncludeClusterResources { get; init; }

    public TimeSpan Ttl { get; init; } = DefaultTtl;

    /// <summary>Labels of the backup itself (Velero's metadata.labels), e.g. the schedule that made it.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<BackupHookSpec> Hooks { get; init; } = [];

    /// <summary>Take a CSI snapshot of every claim backed up (Velero's snapshotVolumes), after pre hooks and before post hooks.</summary>
    public bool SnapshotVolumes { get; init; }

    public static readonly TimeSpan DefaultSnapshotTimeout = TimeSpan.FromMinutes(10);

    /// <summary>How long the backup waits for its snapshots to be ready to use (Velero's csiSnapshotTimeout).</summary>
    public TimeSpan SnapshotTimeout { get; init; } = DefaultSnapshotTimeout;

    /// <summary>The storage location named by a Velero manifest's <c>storageLocation</c>; null for the default.</summary>
    public string? StorageLocation { get; init; }
}
