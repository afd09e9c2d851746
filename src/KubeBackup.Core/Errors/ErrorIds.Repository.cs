namespace KubeBackup.Core.Errors;

public static partial class ErrorIds
{
    public const string RepositoryNotFound = nameof(RepositoryNotFound);
    public const string RepositoryAlreadyExists = nameof(RepositoryAlreadyExists);
    public const string RepositoryVersionUnsupported = nameof(RepositoryVersionUnsupported);
    public const string RepositoryConfigInvalid = nameof(RepositoryConfigInvalid);
    public const string RepositoryLocked = nameof(RepositoryLocked);
    public const string PassphraseRequired = nameof(PassphraseRequired);
    public const string WrongPassphrase = nameof(WrongPassphrase);
    public const string KeyFileInvalid = nameof(KeyFileInvalid);
    public const string BlobCorrupted = nameof(BlobCorrupted);
    public const string PackMissing = nameof(PackMissing);
    public const string ManifestCorrupted = nameof(ManifestCorrupted);
    public const string BackupNameInvalid = nameof(BackupNameInvalid);
    public const string BackupAlreadyExists = nameof(BackupAlreadyExists);
    public const string BackupNotFound = nameof(BackupNotFound);
    public const string BackupItemDuplicate = nameof(BackupItemDuplicate);
    public const string BackupRecordInvalid = nameof(BackupRecordInvalid);
}
