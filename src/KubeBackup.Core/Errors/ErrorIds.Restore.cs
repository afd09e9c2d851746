namespace KubeBackup.Core.Errors;

public static partial class ErrorIds
{
    public const string RestoreSpecInvalid = nameof(RestoreSpecInvalid);
    public const string NamespaceMappingInvalid = nameof(NamespaceMappingInvalid);
    public const string RestoreExists = nameof(RestoreExists);
    public const string RestoreNotFound = nameof(RestoreNotFound);
    public const string RestoreRecordInvalid = nameof(RestoreRecordInvalid);
    public const string NoBackupToRestore = nameof(NoBackupToRestore);
    public const string RestoreFailed = nameof(RestoreFailed);
    public const string RestorePartiallyFailed = nameof(RestorePartiallyFailed);
}
