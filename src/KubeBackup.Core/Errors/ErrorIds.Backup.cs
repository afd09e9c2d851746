namespace KubeBackup.Core.Errors;

public static partial class ErrorIds
{
    public const string BackupSpecInvalid = nameof(BackupSpecInvalid);
    public const string BackupFailed = nameof(BackupFailed);
    public const string BackupPartiallyFailed = nameof(BackupPartiallyFailed);
}
