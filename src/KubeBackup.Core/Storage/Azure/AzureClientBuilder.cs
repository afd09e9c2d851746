using global::Azure;
using global::Azure.Core;
using global::Azure.Identity;
using global::Azure.Storage;
using global::Azure.Storage.Blobs;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Storage.Azure;

/// <summary>
/// The container client for a location, with credentials from, in order: the location's credential file (a
/// connection string, or Velero's Azure KEY=VALUE format with AZURE_STORAGE_ACCOUNT_ACCESS_KEY or a service
/// principal), AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_SAS_TOKEN, then DefaultAzureCredential (managed
/// identity in Azure Automation, workload identity, environment, Azure CLI).
/// </summary>
internal static class AzureClientBuilder
{
    /// <summary>The newest service version Azurite 3.37 accepts; 12.30.1's default (2026-10-06) is refused by it.</summary>
    public const BlobClientOptions.ServiceVersion ServiceVersion = BlobClientOptions.ServiceVersion.V2026_06_06;

    public static AzureBlobObjectStore Build(StorageLocation location, ObjectStoreOptions options)
    {
        var container = Required(location.Bucket, location, "a container (Bucket)");
        var clientOptions = new BlobClientOptions(ServiceVersion);
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = Math.Max(0, options.Retry.MaxAttempts - 1);
        clientOptions.Retry.Delay = options.Retry.BaseDelay;
        clientOptions.Retry.MaxDelay = options.Retry.MaxDelay;
        clientOptions.Retry.NetworkTimeout = options.Retry.RequestTimeout;
        clientOptions.Diagnostics.IsLoggingContentEnabled = false;

        var (service, source, secrets) = Service(location, options, clientOptions);
        var settings = new AzureBlobStoreSettings
        {
            Account = service.AccountName,
            Container = container,
            Prefix = location.Prefix,
            Endpoint = service.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/'),
            CredentialSource = source,
            PartSize = options.PartSize,
            Attempts = options.Retry.MaxAttempts,
        };
        return new AzureBlobObjectStore(service.GetBlobContainerClient(container), settings, message => StorageSecrets.Scrub(message, secrets));
    }

    private static (BlobServiceClient Service, string Source, string?[] Secrets) Service(StorageLocation location, ObjectStoreOptions options, BlobClientOptions clientOptions)
    {
        if (location.CredentialFile is { Length: > 0 } path)
        {
            var file = VeleroCredentialsFile.Read(path);
            var connection = file.Get("AZURE_STORAGE_CONNECTION_STRING") ?? (LooksLikeConnectionString(file.Text) ? file.Text : null);
            if (connection is not null)
            {
                return FromConnectionString(connection, $"the connection string in {path}", location, clientOptions);
            }
            if (file.Get("AZURE_STORAGE_ACCOUNT_ACCESS_KEY") is { } accountKey)
            {
                var account = location.Account ?? file.Get("AZURE_STORAGE_ACCOUNT_ID")
                    ?? throw Invalid(location, "names no storage account (Account) for the account key in its credentials file");
                return (new BlobServiceClient(ServiceUri(location, account), new StorageSharedKeyCredential(account, accountKey), clientOptions), $"the account key in {path}", [accountKey]);
            }
            if (file.Get("AZURE_CLIENT_SECRET") is { } clientSecret && file.Get("AZURE_CLIENT_ID") is { } clientId && file.Get("AZURE_TENANT_ID") is { } tenant)
            {
                return (new BlobServiceClient(ServiceUri(location, Account(location)), new ClientSecretCredential(tenant, clientId, clientSecret), clientOptions), $"the service principal in {path}", [clientSecret]);
            }
            throw new KbException(ErrorIds.StorageCredentialFileInvalid, KbErrorCategory.InvalidData, path,
                $"The credentials file '{path}' holds no Azure credentials: expected a connection string, AZURE_STORAGE_ACCOUNT_ACCESS_KEY=..., or AZURE_TENANT_ID/AZURE_CLIENT_ID/AZURE_CLIENT_SECRET.");
        }
        if (options.Environment("AZURE_STORAGE_CONNECTION_STRING") is { Length: > 0 } fromEnvironment)
        {
            return FromConnectionString(fromEnvironment, "AZURE_STORAGE_CONNECTION_STRING", location, clientOptions);
        }
        if (options.Environment("AZURE_STORAGE_SAS_TOKEN") is { Length: > 0 } sas)
        {
            var token = sas.TrimStart('?');
            return (new BlobServiceClient(ServiceUri(location, Account(location)), new AzureSasCredential(token), clientOptions), "AZURE_STORAGE_SAS_TOKEN", [token]);
        }
        return (new BlobServiceClient(ServiceUri(location, Account(location)), new DefaultAzureCredential(), clientOptions), "DefaultAzureCredential", []);
    }

    private static (BlobServiceClient, string, string?[]) FromConnectionString(string connection, string source, StorageLocation location, BlobClientOptions clientOptions)
    {
        var secrets = connection.Split(';').Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0].Trim() is "AccountKey" or "SharedAccessSignature").Select(p => (string?)p[1].Trim()).Append(connection).ToArray();
        try
        {
            return (new BlobServiceClient(connection, clientOptions), source, secrets);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // The parser's message can quote the string; say only where it came from.
            throw new KbException(ErrorIds.StorageLocationInvalid, KbErrorCategory.InvalidArgument, location.Name,
                $"The Azure connection string from {source} is not valid for location '{location.Name}'.");
        }
    }

    private static bool LooksLikeConnectionString(string text) =>
        !text.Contains('\n') && (text.Contains("AccountName=", StringComparison.OrdinalIgnoreCase) || text.Contains("BlobEndpoint=", StringComparison.OrdinalIgnoreCase));

    private static Uri ServiceUri(StorageLocation location, string account) =>
        new(location.Endpoint is { Length: > 0 } endpoint ? endpoint : $"https://{account}.blob.core.windows.net");

    private static string Account(StorageLocation location) =>
        location.Account is { Length: > 0 } account ? account
        : location.Endpoint is { Length: > 0 } endpoint && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri.Host.Split('.')[0]
        : throw Invalid(location, "needs a storage account (Account) or a blob service Endpoint");

    private static string Required(string? value, StorageLocation location, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw Invalid(location, $"needs {what}") : value;

    private static KbException Invalid(StorageLocation location, string problem) =>
        new(ErrorIds.StorageLocationInvalid, KbErrorCategory.InvalidArgument, location.Name, $"The Azure Blob location '{location.Name}' {problem}.");
}
