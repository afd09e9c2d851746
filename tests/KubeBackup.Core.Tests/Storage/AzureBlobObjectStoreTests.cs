using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Tests.Storage.Servers;

namespace KubeBackup.Core.Tests.Storage;

/// <summary>The contract on Azurite, with the connection string from AZURE_STORAGE_CONNECTION_STRING and a prefix.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobObjectStoreTests(AzuriteFixture azurite) : ObjectStoreContract
{
    private string _container = "";

    protected override async Task<IObjectStore> CreateStoreAsync()
    {
        _container = await azurite.CreateContainerAsync();
        var environment = new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = azurite.ConnectionString() };
        return ObjectStoreFactory.Create(azurite.Location(_container, "kb"), StorageTestOptions.With(environment));
    }

    [Fact]
    public async Task AnEmptyRangeIsEmptyAndStillNeedsTheObject()
    {
        await Store.PutAsync("p", new MemoryStream([1, 2, 3]), default);
        Assert.Empty(await Store.ReadRangeAsync("p", 1, 0, default));
        Assert.Equal(ErrorIds.ObjectNotFound, (await Assert.ThrowsAsync<KbException>(() => Store.ReadRangeAsync("missing", 0, 0, default))).ErrorId);
    }

    [Fact]
    public void TheDescriptionNamesAccountContainerAndPrefix() =>
        Assert.Equal($"azblob://{AzuriteFixture.Account}/{_container}/kb", Store.Description);

    [Fact]
    public async Task AConnectionStringFileWorksLikeTheVariable()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("kb-az-").FullName, "credentials");
        await File.WriteAllTextAsync(file, azurite.ConnectionString() + "\n");
        await using var fromFile = ObjectStoreFactory.Create(azurite.Location(_container, "kb") with { CredentialFile = file }, StorageTestOptions.With());

        await Store.PutAsync("shared", new MemoryStream([4, 2]), default);
        Assert.Equal(2, (await fromFile.StatAsync("shared", default))!.Size);
    }

    [Fact]
    public async Task AnAccountKeyInVeleroFormatWorks()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("kb-az-").FullName, "credentials-velero");
        await File.WriteAllTextAsync(file, $"AZURE_STORAGE_ACCOUNT_ACCESS_KEY={AzuriteFixture.AccountKey}\nAZURE_CLOUD_NAME=AzurePublicCloud\n");
        var location = azurite.Location(_container, "kb") with { CredentialFile = file, Endpoint = azurite.Endpoint };
        await using var store = ObjectStoreFactory.Create(location, StorageTestOptions.With());

        await store.PutAsync("velero", new MemoryStream([1]), default);
        Assert.NotNull(await Store.StatAsync("velero", default));
    }
}
