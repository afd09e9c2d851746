namespace KubeBackup.Core.Errors;

public static partial class ErrorIds
{
    public const string StorageLocationNotFound = nameof(StorageLocationNotFound);
    public const string StorageLocationExists = nameof(StorageLocationExists);
    public const string InvalidStorageLocation = nameof(InvalidStorageLocation);
    public const string InvalidStorageLocationUrl = nameof(InvalidStorageLocationUrl);
    public const string StorageLocationConfigInvalid = nameof(StorageLocationConfigInvalid);
    public const string InvalidStorageLocationSpec = nameof(InvalidStorageLocationSpec);
    public const string RepositoryNotEncrypted = nameof(RepositoryNotEncrypted);
}
