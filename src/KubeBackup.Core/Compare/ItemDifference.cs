using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Compare;

/// <summary>One object compared between a backup (the reference) and the live cluster or a second backup (Compare-KbBackup).</summary>
public sealed class ItemDifference
{
    public required DifferenceKind Change { get; init; }

    /// <summary>The API group; empty for the core group.</summary>
    public required string Group { get; init; }

    public required string Version { get; init; }

    /// <summary>The resource type's plural name (<c>deployments</c>).</summary>
    public required string Resource { get; init; }

    /// <summary>The resource type with its group, as kubectl names it (<c>deployments.apps</c>; <c>secrets</c> for the core group).</summary>
    public string GroupResource => Group.Length == 0 ? Resource : Resource + "." + Group;

    /// <summary>The object's kind where it is known (from the cluster's discovery or the object read).</summary>
    public string? Kind { get; init; }

    /// <summary>Null for cluster-scoped objects.</summary>
    public string? Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>The fields that differ, in path order; empty unless <see cref="Change"/> is Changed with readable content.</summary>
    public IReadOnlyList<FieldChange> Changes { get; init; } = [];

    /// <summary>Why an item is reported without a field list: its type is no longer served, or a side could not be read.</summary>
    public string? Reason { get; init; }

    /// <summary>The backup compared from.</summary>
    public required string Reference { get; init; }

    /// <summary>What it was compared with: the other backup's name, or <c>cluster '&lt;context&gt;'</c>.</summary>
    public required string DifferenceTarget { get; init; }

    internal ItemKey Key => new(Group, Version, Resource, Namespace, Name);

    public override string ToString() => $"{Change} {GroupResource} {(Namespace is null ? Name : Namespace + "/" + Name)}";
}
