using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using KubeBackup.Core.Storage;

namespace KubeBackup.Core.Tests.Storage.Servers;

/// <summary>One Azurite 3.37.0 blob service (in memory) for all Azure tests; each test gets its own container.</summary>
public sealed partial class AzuriteFixture : IAsyncLifetime
{
    public const string Account = "devstoreaccount1";

    /// <summary>Azurite's well-known development key (public, documented by Microsoft).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private NodeServer? _server;

    public string Endpoint => $"http://127.0.0.1:{_server!.Port}/{Account}";

    public string ConnectionString(string key = AccountKey) =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={key};BlobEndpoint={Endpoint};";

    public async Task InitializeAsync() =>
        _server = await NodeServer.StartAsync("azurite-blob", [],
            ["--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--silent"], Listening());

    public async Task<string> CreateContainerAsync()
    {
        var name = $"kb-{Guid.NewGuid():N}";
        var service = new BlobServiceClient(ConnectionString(), new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06));
        await service.CreateBlobContainerAsync(name);
        return name;
    }

    public StorageLocation Location(string container, string prefix = "") => new()
    {
        Name = "azurite",
        Provider = StorageProvider.AzureBlob,
        Bucket = container,
        Prefix = prefix,
        Account = Account,
    };

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"listens on https?://[\d.]+:(?<port>\d+)")]
    private static partial Regex Listening();
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
