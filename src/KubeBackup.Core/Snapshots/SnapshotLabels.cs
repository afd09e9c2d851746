namespace KubeBackup.Core.Snapshots;

/// <summary>The labels the seed's snapshot CronJob puts on its snapshots, kept so existing selectors and alerts still match.</summary>
public static class SnapshotLabels
{
    public const string BackupType = "backup-type";

    public const string SourcePvc = "source-pvc";

    /// <summary>New-KbVolumeSnapshot's default claim selector (the seed's <c>backup=enabled</c>).</summary>
    public const string DefaultClaimSelector = "backup=enabled";

    public const string DefaultBackupType = "daily";

    /// <summary>
    /// On a VolumeSnapshotContent a backup set to Retain: the backup that needs it. Remove-KbVolumeSnapshot releases such a
    /// content with its snapshot, and leaves contents retained by anything else alone.
    /// </summary>
    public const string RetainedByAnnotation = "kubebackup.io/retained-by";
}
