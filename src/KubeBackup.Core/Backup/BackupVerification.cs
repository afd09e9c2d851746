using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Backup;

/// <summary>
/// The outcome of checking one backup (Test-KbBackup): every blob its manifest references was read back and its hash
/// (and, when encrypted, its authentication tag) checked. <see cref="Healthy"/> is false when anything is damaged.
/// </summary>
public sealed class BackupVerification
{
    public required string Name { get; init; }

    public string? StorageLocation { get; init; }

    public required bool Healthy { get; init; }

    /// <summary>Items (and streams) the backup holds, all checked.</summary>
    public long Items { get; init; }

    /// <summary>Bytes of those items before compression (the backup's logical size).</summary>
    public long Size { get; init; }

    /// <summary>Each damaged item (or damaged part of the manifest) and why; empty when healthy.</summary>
    public IReadOnlyList<BackupDamage> Damaged { get; init; } = [];

    public DateTimeOffset Checked { get; init; }

    public override string ToString() => Name;

    /// <summary>Splits one repository-wide verify into a result per backup, in <paramref name="backups"/>' order.</summary>
    public static IReadOnlyList<BackupVerification> FromResult(VerifyResult result, IEnumerable<BackupSummary> backups, DateTimeOffset checkedAt) =>
        backups.Select(b =>
        {
            var damaged = result.Damaged.Where(d => d.Backup == b.Name).Select(BackupDamage.From).ToList();
            return new BackupVerification
            {
                Name = b.Name,
                StorageLocation = b.StorageLocation,
                Healthy = damaged.Count == 0,
                Items = b.Stats is { } stats ? stats.Items + stats.Streams : b.ItemsBackedUp,
                Size = b.Size,
                Damaged = damaged,
                Checked = checkedAt,
            };
        }).ToList();
}

/// <summary>One damaged item of a backup. <see cref="Item"/> is null when the damage is in the manifest itself (then the items it lists cannot be named).</summary>
public sealed class BackupDamage
{
    public required string Backup { get; init; }

    /// <summary>The item, as <c>apps/v1 deployments prod/web</c>; null for manifest damage.</summary>
    public string? Item { get; init; }

    public string? Namespace { get; init; }

    public string? Resource { get; init; }

    public string? Name { get; init; }

    /// <summary>The pack holding the damaged blob (the file to restore from a copy of the storage, if one exists).</summary>
    public string? PackId { get; init; }

    public required string Reason { get; init; }

    public static BackupDamage From(DamagedItem item) => new()
    {
        Backup = item.Backup,
        Item = item.Item?.ToString(),
        Namespace = item.Item?.Namespace,
        Resource = item.Item?.Resource,
        Name = item.Item?.Name,
        PackId = item.PackId,
        Reason = item.Reason,
    };

    public override string ToString() => $"{Item ?? "manifest"}: {Reason}";
}
