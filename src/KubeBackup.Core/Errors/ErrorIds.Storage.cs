namespace KubeBackup.Core.Errors;

public static partial class ErrorIds
{
    public const string InvalidObjectKey = nameof(InvalidObjectKey);
    public const string ObjectNotFound = nameof(ObjectNotFound);
    public const string ObjectTruncated = nameof(ObjectTruncated);
    public const string StorageLocationUnavailable = nameof(StorageLocationUnavailable);
    public const string StorageAccessDenied = nameof(StorageAccessDenied);
    public const string StorageBucketNotFound = nameof(StorageBucketNotFound);
    public const string StorageLocationReadOnly = nameof(StorageLocationReadOnly);
    public const string StorageLocationInvalid = nameof(StorageLocationInvalid);
    public const string StorageCredentialsNotFound = nameof(StorageCredentialsNotFound);
    public const string StorageCredentialFileInvalid = nameof(StorageCredentialFileInvalid);
    public const string StorageIntegrityCheckFailed = nameof(StorageIntegrityCheckFailed);
}
