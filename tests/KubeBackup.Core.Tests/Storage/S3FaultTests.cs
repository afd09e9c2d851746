using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Tests.Storage.Servers;

namespace KubeBackup.Core.Tests.Storage;

/// <summary>Bad input and faults on the S3 and OSS providers, against s3rver and a closed port.</summary>
[Collection(S3rverCollection.Name)]
public sealed class S3FaultTests(S3rverFixture s3rver)
{
    // s3rver checks the access key id but not Signature V4 signatures, so a wrong key id is what it can refuse;
    // a wrong secret is covered on Azurite, which does check Shared Key signatures.
    private const string WrongKeyId = "AKIAWRONGKEYID0000";
    private const string WrongSecret = "wrong-secret-0123456789abcdef";

    [Fact]
    public async Task ABucketThatDoesNotExistIsNamed()
    {
        await using var store = ObjectStoreFactory.Create(s3rver.S3Location("no-such-bucket"), StorageTestOptions.With());

        var put = await Assert.ThrowsAsync<KbException>(() => store.PutAsync("k", new MemoryStream([1]), default));
        Assert.Equal(ErrorIds.StorageBucketNotFound, put.ErrorId);
        Assert.Equal("no-such-bucket", put.Target);
        Assert.Contains("no-such-bucket", put.Message);
        var list = await Assert.ThrowsAsync<KbException>(async () => await store.ListAsync("", default).ToListAsync());
        Assert.Equal(ErrorIds.StorageBucketNotFound, list.ErrorId);
        var read = await Assert.ThrowsAsync<KbException>(() => store.OpenReadAsync("k", default));
        Assert.Equal(ErrorIds.StorageBucketNotFound, read.ErrorId);
    }

    [Fact]
    public async Task WrongCredentialsAreAccessDeniedWithoutTheKeys()
    {
        var bucket = await s3rver.CreateBucketAsync();
        var location = s3rver.S3Location(bucket, credentialFile: s3rver.WriteCredentialFile(WrongKeyId, WrongSecret));
        await using var store = ObjectStoreFactory.Create(location, StorageTestOptions.With());

        var put = await Assert.ThrowsAsync<KbException>(() => store.PutAsync("k", new MemoryStream([1]), default));
        Assert.Equal(ErrorIds.StorageAccessDenied, put.ErrorId);
        Assert.DoesNotContain(WrongSecret, put.ToString());
        Assert.DoesNotContain(WrongKeyId, put.ToString());
        Assert.Contains(location.CredentialFile!, put.Message);
        var list = await Assert.ThrowsAsync<KbException>(async () => await store.ListAsync("", default).ToListAsync());
        Assert.Equal(ErrorIds.StorageAccessDenied, list.ErrorId);
    }

    [Fact]
    public async Task AnUnreachableEndpointIsUnavailableAfterBoundedRetriesAndQuickly()
    {
        var endpoint = $"http://127.0.0.1:{ClosedPort()}";
        var location = s3rver.S3Location("bucket") with { Endpoint = endpoint };
        await using var store = ObjectStoreFactory.Create(location, StorageTestOptions.With());

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<KbException>(() => store.PutAsync("k", new MemoryStream([1]), default));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(ErrorIds.StorageLocationUnavailable, failure.ErrorId);
        Assert.Contains(endpoint, failure.Message);
        Assert.Contains($"{StorageTestOptions.FastRetry.MaxAttempts} attempts", failure.Message);
        var stat = await Assert.ThrowsAsync<KbException>(() => store.StatAsync("k", default));
        Assert.Equal(ErrorIds.StorageLocationUnavailable, stat.ErrorId);
    }

    [Fact]
    public async Task AnUnknownHostIsUnavailable()
    {
        var location = s3rver.S3Location("bucket") with { Endpoint = "http://kubebackup-no-such-host.invalid:9000" };
        await using var store = ObjectStoreFactory.Create(location, StorageTestOptions.With());

        var failure = await Assert.ThrowsAsync<KbException>(async () => await store.ListAsync("", default).ToListAsync());
        Assert.Equal(ErrorIds.StorageLocationUnavailable, failure.ErrorId);
        Assert.Contains("kubebackup-no-such-host.invalid", failure.Message);
    }

    [Fact]
    public async Task CancellationStopsTheRetries()
    {
        var location = s3rver.S3Location("bucket") with { Endpoint = $"http://127.0.0.1:{ClosedPort()}" };
        var slow = StorageTestOptions.With() with { Retry = StorageTestOptions.FastRetry with { MaxAttempts = 100, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(1) } };
        await using var store = ObjectStoreFactory.Create(location, slow);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.PutAsync("k", new MemoryStream([1]), cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task KeysAreRefusedBeforeAnyRequest()
    {
        var recorder = new RecordingHandler();
        await using var store = ObjectStoreFactory.Create(s3rver.S3Location("bucket", "prefix"), StorageTestOptions.With(recorder: recorder));

        foreach (var key in new[] { "../escape", "/absolute", "a/../../b" })
        {
            var failure = await Assert.ThrowsAsync<KbException>(() => store.PutAsync(key, new MemoryStream([1]), default));
            Assert.Equal(ErrorIds.InvalidObjectKey, failure.ErrorId);
            await Assert.ThrowsAsync<KbException>(() => store.ReadRangeAsync(key, 0, 1, default));
            await Assert.ThrowsAsync<KbException>(() => store.StatAsync(key, default));
            await Assert.ThrowsAsync<KbException>(() => store.DeleteAsync(["fine", key], default));
        }
        await Assert.ThrowsAsync<KbException>(async () => await store.ListAsync("../", default).ToListAsync());
        Assert.Empty(recorder.Requests);
    }

    [Fact]
    public async Task AlibabaKeysNeverAppearInDescriptionsOrMessages()
    {
        const string secret = "alibaba-secret-value-0123456789";
        const string token = "alibaba-sts-token-0123456789";
        var environment = new Dictionary<string, string>
        {
            ["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "LTAIexamplekeyid",
            ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = secret,
            ["ALIBABA_CLOUD_SECURITY_TOKEN"] = token,
        };
        var location = new StorageLocation
        {
            Name = "oss", Provider = StorageProvider.AlibabaCloud, Bucket = "b", Region = "cn-hangzhou",
            Endpoint = $"http://127.0.0.1:{ClosedPort()}", ForcePathStyle = true,
        };
        await using var store = ObjectStoreFactory.Create(location, StorageTestOptions.With(environment));

        var failure = await Assert.ThrowsAsync<KbException>(() => store.PutAsync("k", new MemoryStream([1]), default));
        foreach (var text in new[] { store.Description, failure.Message, failure.ToString(), store.ToString()! })
        {
            Assert.DoesNotContain(secret, text);
            Assert.DoesNotContain(token, text);
        }
    }

    [Fact]
    public void AlibabaWithoutCredentialsSaysWhichVariablesToSet()
    {
        var location = new StorageLocation { Name = "oss", Provider = StorageProvider.AlibabaCloud, Bucket = "b", Region = "cn-hangzhou" };
        var failure = Assert.Throws<KbException>(() => ObjectStoreFactory.Create(location, StorageTestOptions.With()));
        Assert.Equal(ErrorIds.StorageCredentialsNotFound, failure.ErrorId);
        Assert.Contains("ALIBABA_CLOUD_ACCESS_KEY_ID", failure.Message);
    }

    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
