namespace KubeBackup.Core.Storage.Locations;

/// <summary>Turns what a user passes as -StorageLocation (a saved name, a URL, or nothing) into a location.</summary>
public static class StorageLocationResolver
{
    public static StorageLocation Resolve(string? nameOrUrl, StorageLocationCatalog catalog)
    {
        if (string.IsNullOrWhiteSpace(nameOrUrl))
        {
            return catalog.GetDefault();
        }
        return StorageLocationUrl.IsUrl(nameOrUrl)
            ? StorageLocationValidation.Validate(StorageLocationUrl.Parse(nameOrUrl))
            : catalog.Get(nameOrUrl);
    }
}
