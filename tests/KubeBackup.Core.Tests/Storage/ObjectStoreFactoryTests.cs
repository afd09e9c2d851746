using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.S3;

namespace KubeBackup.Core.Tests.Storage;

/// <summary>What the factory builds for each kind of location; no server is contacted.</summary>
public sealed class ObjectStoreFactoryTests
{
    private static readonly Dictionary<string, string> AlibabaKeys = new()
    {
        ["ALIBABA_CLOUD_ACCESS_KEY_ID"] = "LTAIexample",
        ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = "alibaba-secret-0123456789",
    };

    [Fact]
    public async Task AFileSystemLocationUsesItsPath()
    {
        var directory = Directory.CreateTempSubdirectory("kb-factory-").FullName;
        await using var store = ObjectStoreFactory.Create(new StorageLocation { Name = "local", Provider = StorageProvider.FileSystem, Path = directory });
        Assert.IsType<FileSystemObjectStore>(store);
        Assert.Equal(Path.GetFullPath(directory), ((FileSystemObjectStore)store).RootDirectory);
    }

    [Fact]
    public async Task AmazonS3UsesTheAwsModeAndCustomEndpointsTheCompatibleMode()
    {
        await using var aws = (S3ObjectStore)ObjectStoreFactory.Create(new StorageLocation { Name = "aws", Provider = StorageProvider.S3, Bucket = "b", Prefix = "/p/q/", Region = "eu-west-1" }, StorageTestOptions.With());
        Assert.Equal(S3Mode.Aws, aws.Mode);
        Assert.Equal("s3://b/p/q", aws.Description);

        await using var regional = (S3ObjectStore)ObjectStoreFactory.Create(new StorageLocation { Name = "aws", Provider = StorageProvider.S3, Bucket = "b", Endpoint = "https://s3.eu-west-1.amazonaws.com" }, StorageTestOptions.With());
        Assert.Equal(S3Mode.Aws, regional.Mode);

        await using var minio = (S3ObjectStore)ObjectStoreFactory.Create(new StorageLocation { Name = "minio", Provider = StorageProvider.S3, Bucket = "b", Endpoint = "http://minio:9000" }, StorageTestOptions.With());
        Assert.Equal(S3Mode.Compatible, minio.Mode);

        await using var forced = (S3ObjectStore)ObjectStoreFactory.Create(new StorageLocation { Name = "minio", Provider = StorageProvider.S3, Bucket = "b", Endpoint = "http://minio:9000" }, StorageTestOptions.With() with { S3Mode = S3Mode.Aws });
        Assert.Equal(S3Mode.Aws, forced.Mode);
    }

    [Theory]
    [InlineData("cn-hangzhou", false, "https://oss-cn-hangzhou.aliyuncs.com")]
    [InlineData("oss-cn-beijing", false, "https://oss-cn-beijing.aliyuncs.com")]
    [InlineData("cn-shanghai", true, "https://oss-cn-shanghai-internal.aliyuncs.com")]
    public void OssRegionsMapToOssEndpoints(string region, bool internalNetwork, string endpoint)
    {
        Assert.Equal(endpoint, OssEndpoints.For(region, internalNetwork));
        Assert.DoesNotContain("oss-", OssEndpoints.SigningRegion(region));
    }

    [Fact]
    public async Task OssUsesTheCompatibleModeWithVirtualHostedAddressing()
    {
        var recorder = new RecordingHandler();
        var location = new StorageLocation { Name = "oss", Provider = StorageProvider.AlibabaCloud, Bucket = "my-bucket", Prefix = "kb", Region = "cn-hangzhou" };
        await using var store = (S3ObjectStore)ObjectStoreFactory.Create(location, StorageTestOptions.With(AlibabaKeys, recorder) with { Retry = StorageTestOptions.FastRetry with { MaxAttempts = 1 } });
        Assert.Equal(S3Mode.Compatible, store.Mode);
        Assert.Equal("oss://my-bucket/kb", store.Description);

        // No network is needed to see where the request goes: the recorder sees it before it leaves.
        using var cancel = new CancellationTokenSource();
        recorder.Sent += cancel.Cancel;
        await Assert.ThrowsAnyAsync<Exception>(() => store.StatAsync("x", cancel.Token));
        var request = Assert.Single(recorder.Requests);
        Assert.Equal("my-bucket.oss-cn-hangzhou.aliyuncs.com", request.Uri.Host);
        Assert.Equal("/kb/x", request.Uri.AbsolutePath);
        Assert.Contains("/cn-hangzhou/s3/aws4_request", request.Headers["Authorization"]);
    }

    [Theory]
    [InlineData(StorageProvider.S3, null, "needs a bucket")]
    [InlineData(StorageProvider.AlibabaCloud, "b", "needs a region")]
    [InlineData(StorageProvider.AzureBlob, null, "needs a container")]
    [InlineData(StorageProvider.FileSystem, null, "needs a Path")]
    public void IncompleteLocationsAreRefused(StorageProvider provider, string? bucket, string problem)
    {
        var failure = Assert.Throws<KbException>(() => ObjectStoreFactory.Create(new StorageLocation { Name = "x", Provider = provider, Bucket = bucket }, StorageTestOptions.With(AlibabaKeys)));
        Assert.Equal(ErrorIds.InvalidStorageLocation, failure.ErrorId);
        Assert.Contains(problem, failure.Message);
    }

    [Fact]
    public async Task AzureWithoutSecretsFallsBackToDefaultAzureCredentialOnTheAccountUrl()
    {
        await using var store = ObjectStoreFactory.Create(new StorageLocation { Name = "az", Provider = StorageProvider.AzureBlob, Account = "acct", Bucket = "backups", Prefix = "kb" }, StorageTestOptions.With());
        Assert.Equal("azblob://acct/backups/kb", store.Description);
    }

    [Fact]
    public void AnInvalidConnectionStringIsNotQuoted()
    {
        const string broken = "AccountName=acct;AccountKey=not-base64-secret-!!!;BlobEndpoint=::::";
        var failure = Assert.Throws<KbException>(() => ObjectStoreFactory.Create(
            new StorageLocation { Name = "az", Provider = StorageProvider.AzureBlob, Bucket = "c" },
            StorageTestOptions.With(new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = broken })));
        Assert.Equal(ErrorIds.InvalidStorageLocation, failure.ErrorId);
        Assert.DoesNotContain("not-base64-secret", failure.ToString());
    }
}
