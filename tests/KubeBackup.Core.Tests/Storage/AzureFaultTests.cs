using System.Diagnostics;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Tests.Storage.Servers;

namespace KubeBackup.Core.Tests.Storage;

/// <summary>Bad input and faults on the Azure Blob provider, against Azurite (which checks Shared Key signatures) and a closed port.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureFaultTests(AzuriteFixture azurite)
{
    // A well-formed key that is not the account's.
    private const string WrongKey = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXktd3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXk=";

    private ObjectStoreOptions Options(string connectionString) =>
        StorageTestOptions.With(new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = connectionString });

    [Fact]
    public async Task AWrongAccountKeyIsAccessDeniedWithoutTheKey()
    {
        var container = await azurite.CreateContainerAsync();
        await using var store = ObjectStoreFactory.Create(azurite.Location(container), Options(azurite.ConnectionString(WrongKey)));

        var put = await Assert.ThrowsAsync<KbException>(() => store.PutAsync("k", new MemoryStream([1]), default));
        Assert.Equal(ErrorIds.StorageAccessDenied, put.ErrorId);
        Assert.Contains("AZURE_STORAGE_CONNECTION_STRING", put.Message);
        var list = await Assert.ThrowsAsync<KbException>(async () => await store.ListAsync("", default).ToListAsync());
        Assert.Equal(ErrorIds.StorageAccessDenied, list.ErrorId);
        foreach (var text in new[] { put.Message, put.ToString(), list.ToString(), store.Description })
        {
            Assert.DoesNotContain(WrongKey, text);
        }
    }

    [Fact]
    public async Task AContainerThatDoesNotExistIsNamed()
    {
        await using var store = ObjectStoreFactory.Create(azurite.Location("no-such-container"), Options(azurite.ConnectionString()));

        var put = await Assert.ThrowsAsync<KbException>(() => store.PutAsync("k", new MemoryStream([1]), default));
        Assert.Equal(ErrorIds.StorageBucketNotFound, put.ErrorId);
        Assert.Equal("no-such-container", put.Target);
        var list = await Assert.ThrowsAsync<KbException>(async () => await store.ListAsync("", default).ToListAsync());
        Assert.Equal(ErrorIds.StorageBucketNotFound, list.ErrorId);
    }

    [Fact]
    public async Task AnUnreachableEndpointIsUnavailableAfterBoundedRetriesAndQuickly()
    {
        var endpoint = $"http://127.0.0.1:{S3FaultTests.ClosedPort()}/{AzuriteFixture.Account}";
        var connection = $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.Account};AccountKey={AzuriteFixture.AccountKey};BlobEndpoint={endpoint};";
        await using var store = ObjectStoreFactory.Create(azurite.Location("c"), Options(connection));

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<KbException>(() => store.PutAsync("k", new MemoryStream([1]), default));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(ErrorIds.StorageLocationUnavailable, failure.ErrorId);
        Assert.Contains(endpoint, failure.Message);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, failure.ToString());
    }

    [Fact]
    public async Task ASasTokenNeverAppearsInMessages()
    {
        const string token = "sv=2025-01-05&ss=b&srt=sco&sp=rl&sig=c2VjcmV0LXNpZ25hdHVyZS12YWx1ZQ%3D%3D";
        var location = azurite.Location(await azurite.CreateContainerAsync()) with { Endpoint = azurite.Endpoint };
        await using var store = ObjectStoreFactory.Create(location, StorageTestOptions.With(new Dictionary<string, string> { ["AZURE_STORAGE_SAS_TOKEN"] = "?" + token }));

        var failure = await Assert.ThrowsAsync<KbException>(() => store.PutAsync("k", new MemoryStream([1]), default));
        Assert.True(failure.ErrorId == ErrorIds.StorageAccessDenied, failure.Message);
        Assert.Contains("AZURE_STORAGE_SAS_TOKEN", failure.Message);
        Assert.DoesNotContain("c2VjcmV0LXNpZ25hdHVyZS12YWx1ZQ", failure.ToString());
    }

    [Fact]
    public async Task KeysAreRefusedBeforeAnyRequest()
    {
        // A closed port: any request would fail as unavailable, not as an invalid key.
        var endpoint = $"http://127.0.0.1:{S3FaultTests.ClosedPort()}/{AzuriteFixture.Account}";
        var connection = $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.Account};AccountKey={AzuriteFixture.AccountKey};BlobEndpoint={endpoint};";
        await using var store = ObjectStoreFactory.Create(azurite.Location("c", "prefix"), Options(connection));

        foreach (var key in new[] { "../escape", "/absolute", "a/../../b" })
        {
            Assert.Equal(ErrorIds.InvalidObjectKey, (await Assert.ThrowsAsync<KbException>(() => store.PutAsync(key, new MemoryStream([1]), default))).ErrorId);
            Assert.Equal(ErrorIds.InvalidObjectKey, (await Assert.ThrowsAsync<KbException>(() => store.ReadRangeAsync(key, 0, 1, default))).ErrorId);
            Assert.Equal(ErrorIds.InvalidObjectKey, (await Assert.ThrowsAsync<KbException>(() => store.DeleteAsync(["fine", key], default))).ErrorId);
        }
    }
}
