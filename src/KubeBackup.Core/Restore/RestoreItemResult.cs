namespace KubeBackup.Core.Restore;

/// <summary>
/// One item of a restore: where it came from (its namespace in the backup), where it went, and what happened to it
/// and why. Plans (<see cref="Action"/>) and results (<see cref="Outcome"/>) share it, so a preview and the record of
/// the run read the same way.
/// </summary>
public sealed record RestoreItemResult
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Resource { get; init; }

    public string? Kind { get; init; }

    /// <summary>The namespace in the backup; null for cluster-scoped items.</summary>
    public string? Namespace { get; init; }

    /// <summary>The namespace it is restored into (after the mapping).</summary>
    public string? TargetNamespace { get; init; }

    public required string Name { get; init; }

    /// <summary>The restore tier (0 first: CRDs; see RestorePriorities).</summary>
    public int Tier { get; init; }

    public required RestoreAction Action { get; init; }

    /// <summary>Null in a plan; what happened in a run.</summary>
    public RestoreOutcome? Outcome { get; init; }

    /// <summary>Why it was skipped or failed, or what differs.</summary>
    public string? Reason { get; init; }

    /// <summary>The changed fields (paths) when the object exists and differs.</summary>
    public IReadOnlyList<string> ChangedFields { get; init; } = [];

    /// <summary><c>deployments.apps</c>, <c>pods</c>: the type as kubectl names it.</summary>
    public string FullResource => Group.Length == 0 ? Resource : $"{Resource}.{Group}";

    /// <summary>
    /// How results and plans are listed: cluster-scoped items first, then namespace by namespace, each in restore order,
    /// so a table grouped by namespace shows each namespace once. The restore itself runs tier by tier across namespaces.
    /// </summary>
    public static IReadOnlyList<RestoreItemResult> ReadingOrder(IEnumerable<RestoreItemResult> items) =>
        [.. items.OrderBy(r => r.TargetNamespace ?? "", StringComparer.Ordinal).ThenBy(r => r.Tier)
            .ThenBy(r => r.FullResource, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal)];

    public override string ToString() =>
        $"{FullResource} {(TargetNamespace is null ? Name : $"{TargetNamespace}/{Name}")}";
}
