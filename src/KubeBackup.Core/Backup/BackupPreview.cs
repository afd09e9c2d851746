namespace KubeBackup.Core.Backup;

/// <summary>What a backup would take of one resource type in one namespace (New-KbBackup -WhatIf).</summary>
/// <param name="Namespace">Null for cluster-scoped resources.</param>
public sealed record BackupPreviewRow(string? Namespace, string Resource, long Items);

/// <summary>The result of <see cref="BackupRunner.PreviewAsync"/>: rows by namespace and resource, and the warnings a backup would give.</summary>
public sealed record BackupPreview(IReadOnlyList<BackupPreviewRow> Rows, IReadOnlyList<BackupProblem> Problems)
{
    public long Items => Rows.Sum(r => r.Items);
}
