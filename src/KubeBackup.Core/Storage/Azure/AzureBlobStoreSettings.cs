namespace KubeBackup.Core.Storage.Azure;

/// <summary>Where an <see cref="AzureBlobObjectStore"/> keeps its blobs. Holds no secrets.</summary>
public sealed record AzureBlobStoreSettings
{
    public required string Account { get; init; }

    public required string Container { get; init; }

    /// <summary>Blob name prefix inside the container ('' for the container's root).</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>The blob service URL, for messages.</summary>
    public required string Endpoint { get; init; }

    /// <summary>Where the credentials came from, for messages: "AZURE_STORAGE_CONNECTION_STRING", "DefaultAzureCredential".</summary>
    public required string CredentialSource { get; init; }

    public int PartSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>How many retries the Azure SDK was given, for messages.</summary>
    public int Attempts { get; init; } = RetryPolicy.Default.MaxAttempts;
}
