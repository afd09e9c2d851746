namespace KubeBackup.Core.Restore.Transforms;

/// <summary>What <see cref="RestoreTransform"/> needs to know about the restore as a whole. Every question is asked
/// with the item's names as they were in the backup (before <see cref="NamespaceMapping"/>).</summary>
public sealed class RestoreContext
{
    public required string BackupName { get; init; }

    public required string RestoreName { get; init; }

    /// <summary>Original namespace → target namespace; namespaces not in it keep their name.</summary>
    public IReadOnlyDictionary<string, string> NamespaceMapping { get; init; } = new Dictionary<string, string>();

    /// <summary>True for resource types whose status is kept; the argument is a full name as kubectl says it:
    /// <c>deployments.apps</c>, <c>pods</c>, <c>widgets.example.com</c>.</summary>
    public Func<string, bool> RestoresStatusOf { get; init; } = _ => false;

    /// <summary>Keep the nodePorts (and healthCheckNodePort) of Services.</summary>
    public bool PreserveNodePorts { get; init; }

    /// <summary>Whether an object (apiVersion, kind, ORIGINAL namespace or null for cluster-scoped, name) is part of
    /// this same restore.</summary>
    public Func<string, string, string?, string, bool> IsRestored { get; init; } = (_, _, _, _) => false;

    /// <summary>The ready snapshot the backup took of a claim (ORIGINAL namespace, claim name), or null: such a claim is
    /// restored from its snapshot.</summary>
    public Func<string, string, Backup.BackupVolumeSnapshot?> SnapshotOf { get; init; } = (_, _) => null;

    /// <summary>Restore Deployments and StatefulSets in standby form, their replicas recorded in this annotation; null: as backed up.</summary>
    public string? StandbyAnnotation { get; init; }

    public string TargetNamespace(string original) =>
        NamespaceMapping.TryGetValue(original, out var target) ? target : original;
}
