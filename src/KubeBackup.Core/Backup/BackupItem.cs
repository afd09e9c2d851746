using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Backup;

/// <summary>
/// One entry of a backup's manifest as users see it (Get-KbBackupItem): which object (or stream attached to one) it is,
/// and how many bytes a restore reads for it.
/// </summary>
public sealed class BackupItem
{
    public required string Backup { get; init; }

    /// <summary>The storage location the backup is in (its saved name, or the URL it was given as).</summary>
    public string? StorageLocation { get; init; }

    /// <summary>The API group; empty for the core group (Pods, Secrets, ConfigMaps, ...).</summary>
    public required string Group { get; init; }

    public required string Version { get; init; }

    /// <summary><c>apps/v1</c>, or <c>v1</c> for the core group: the object's apiVersion.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>The resource type's plural name (<c>deployments</c>).</summary>
    public required string Resource { get; init; }

    /// <summary>The resource type with its group, as kubectl names it (<c>deployments.apps</c>; <c>secrets</c> for the core group).</summary>
    public string GroupResource => Group.Length == 0 ? Resource : Resource + "." + Group;

    /// <summary>Null for cluster-scoped objects.</summary>
    public string? Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary><c>Item</c> (an object's JSON) or <c>Stream</c> (data attached to an object, such as a database dump).</summary>
    public required string Kind { get; init; }

    /// <summary>Bytes before compression and encryption: what a restore reads.</summary>
    public long Size { get; init; }

    public static BackupItem FromEntry(string backup, string? storageLocation, ManifestEntry entry) => new()
    {
        Backup = backup,
        StorageLocation = storageLocation,
        Group = entry.Key.Group,
        Version = entry.Key.Version,
        Resource = entry.Key.Resource,
        Namespace = entry.Key.Namespace,
        Name = entry.Key.Name,
        Kind = entry.Kind.ToString(),
        Size = entry.Size,
    };

    public override string ToString() => $"{GroupResource} {(Namespace is null ? Name : Namespace + "/" + Name)}";
}
