using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage.Azure;
using KubeBackup.Core.Storage.S3;

namespace KubeBackup.Core.Storage;

/// <summary>The <see cref="IObjectStore"/> for a <see cref="StorageLocation"/>, with credentials from the provider's normal chain.</summary>
public static class ObjectStoreFactory
{
    public static IObjectStore Create(StorageLocation location, ObjectStoreOptions? options = null)
    {
        options ??= ObjectStoreOptions.Default;
        return location.Provider switch
        {
            StorageProvider.FileSystem => new FileSystemObjectStore(string.IsNullOrWhiteSpace(location.Path)
                ? throw new KbException(ErrorIds.StorageLocationInvalid, KbErrorCategory.InvalidArgument, location.Name, $"The FileSystem location '{location.Name}' needs a Path.")
                : location.Path),
            StorageProvider.S3 or StorageProvider.AlibabaCloud => S3StoreBuilder.Build(location, options),
            StorageProvider.AzureBlob => AzureClientBuilder.Build(location, options),
            _ => throw new KbException(ErrorIds.StorageLocationInvalid, KbErrorCategory.InvalidArgument, location.Name, $"Unknown storage provider '{location.Provider}'."),
        };
    }
}
