using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Storage.Locations;

/// <summary>What each provider needs before a location can be saved or used.</summary>
public static class StorageLocationValidation
{
    public static StorageLocation Validate(StorageLocation location)
    {
        string? problem = location.Provider switch
        {
            StorageProvider.FileSystem when string.IsNullOrWhiteSpace(location.Path) => "a FileSystem location needs -Path",
            StorageProvider.S3 or StorageProvider.AlibabaCloud when string.IsNullOrWhiteSpace(location.Bucket) => $"an {location.Provider} location needs -Bucket",
            StorageProvider.AlibabaCloud when string.IsNullOrWhiteSpace(location.Region) && string.IsNullOrWhiteSpace(location.Endpoint) => "an AlibabaCloud location needs -Region (such as cn-hangzhou) or -Endpoint",
            StorageProvider.AzureBlob when string.IsNullOrWhiteSpace(location.Account) => "an AzureBlob location needs -Account (the storage account)",
            StorageProvider.AzureBlob when string.IsNullOrWhiteSpace(location.Bucket) => "an AzureBlob location needs -Bucket (the container)",
            _ => null,
        };
        if (problem is null && location.Endpoint is { Length: > 0 } endpoint && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            problem = $"-Endpoint '{endpoint}' is not an absolute URL such as https://minio.example.com:9000";
        }
        if (problem is null && location.Prefix.Length > 0)
        {
            try
            {
                ObjectKeys.Validate(location.Prefix);
            }
            catch (KbException)
            {
                problem = $"-Prefix '{location.Prefix}' is not a valid key prefix (no '..', '.', empty segments or backslashes)";
            }
        }
        if (problem is null && string.IsNullOrWhiteSpace(location.Name))
        {
            problem = "a location needs a -Name";
        }
        return problem is null
            ? location
            : throw new KbException(ErrorIds.InvalidStorageLocation, KbErrorCategory.InvalidArgument, location.Name, $"Storage location '{location.Name}' is incomplete: {problem}.");
    }
}
