namespace KubeBackup.Core.Errors;

public static partial class ErrorIds
{
    /// <summary>Test-KbBackup found damaged items in a backup (InvalidData, target: the backup's name).</summary>
    public const string BackupDamaged = nameof(BackupDamaged);
}
