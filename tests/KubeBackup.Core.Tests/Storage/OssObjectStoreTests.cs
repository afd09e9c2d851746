using Amazon.S3.Model;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.S3;
using KubeBackup.Core.Tests.Storage.Servers;

namespace KubeBackup.Core.Tests.Storage;

/// <summary>
/// The contract through the Alibaba Cloud provider, pointed at s3rver by an Endpoint override, with keys from the
/// ALIBABA_CLOUD_* variables and a prefix. Path style is forced only because s3rver cannot do virtual-hosted
/// addressing on 127.0.0.1; against OSS the provider uses virtual-hosted addressing, which OSS requires.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class OssObjectStoreTests(S3rverFixture s3rver) : ObjectStoreContract
{
    private const string Prefix = "team/repo";
    private readonly RecordingHandler _recorder = new();
    private string _bucket = "";

    protected override async Task<IObjectStore> CreateStoreAsync()
    {
        _bucket = await s3rver.CreateBucketAsync();
        return ObjectStoreFactory.Create(Location(_bucket), StorageTestOptions.With(Environment, _recorder));
    }

    private static readonly Dictionary<string, string> Environment = new()
    {
        ["ALIBABA_CLOUD_ACCESS_KEY_ID"] = S3rverFixture.AccessKey,
        ["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = S3rverFixture.SecretKey,
    };

    private StorageLocation Location(string bucket) => new()
    {
        Name = "oss",
        Provider = StorageProvider.AlibabaCloud,
        Bucket = bucket,
        Prefix = Prefix,
        Region = "cn-hangzhou",
        Endpoint = s3rver.Endpoint,
        ForcePathStyle = true,
    };

    [Fact]
    public void OssIsAlwaysCompatibleAndDescribedAsOss()
    {
        Assert.Equal(S3Mode.Compatible, ((S3ObjectStore)Store).Mode);
        Assert.Equal($"oss://{_bucket}/{Prefix}", Store.Description);
    }

    [Fact]
    public async Task ObjectsLiveUnderThePrefixAndNothingOutsideItIsSeen()
    {
        await s3rver.Admin.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "outside", ContentBody = "x", UseChunkEncoding = false });
        await Store.PutAsync("inside", new MemoryStream([1]), default);

        var stored = await s3rver.Admin.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket });
        Assert.Contains(stored.S3Objects, o => o.Key == $"{Prefix}/inside");
        Assert.Equal(["inside"], await KeysAsync(""));
        Assert.Null(await Store.StatAsync("outside", default));
    }

    [Fact]
    public async Task UploadsAreSignedForTheOssRegionWithoutAwsChunked()
    {
        await Store.PutAsync("object", new MemoryStream(new byte[100]), default);
        var put = Assert.Single(_recorder.Requests, r => r.Method == "PUT");
        Assert.False(put.IsAwsChunked);
        Assert.Contains("/cn-hangzhou/s3/aws4_request", put.Headers["Authorization"]);
    }
}
