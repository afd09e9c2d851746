namespace KubeBackup.Core.Errors;

public static partial class ErrorIds
{
    public const string BackupHookInvalid = nameof(BackupHookInvalid);
}
