using System.Security.Cryptography;
using Amazon.S3.Model;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.S3;
using KubeBackup.Core.Tests.Storage.Servers;

namespace KubeBackup.Core.Tests.Storage;

/// <summary>
/// The AWS mode (the SDK's defaults, meant for Amazon S3) against s3rver. s3rver stores aws-chunked upload bodies
/// with their chunk framing, so AWS-mode uploads cannot round-trip there; that is exactly why compatible mode
/// exists. These tests show both halves honestly: AWS mode does send aws-chunked uploads, our ETag check refuses
/// the damaged result instead of accepting it silently, and every other AWS-mode operation (get, range, stat,
/// list, delete) passes the whole contract on objects written by the compatible mode into the same bucket.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class S3AwsModeTests(S3rverFixture s3rver) : ObjectStoreContract
{
    private readonly RecordingHandler _recorder = new();
    private IObjectStore? _aws;
    private string _bucket = "";

    protected override async Task<IObjectStore> CreateStoreAsync()
    {
        _bucket = await s3rver.CreateBucketAsync();
        var location = s3rver.S3Location(_bucket, "aws-mode");
        _aws = ObjectStoreFactory.Create(location, StorageTestOptions.With(recorder: _recorder) with { S3Mode = S3Mode.Aws });
        var writer = ObjectStoreFactory.Create(location, StorageTestOptions.With());
        return new WriteThroughOtherStore(_aws, writer);
    }

    private IObjectStore Aws => _aws!;

    [Fact]
    public void TheModeIsAws() => Assert.Equal(S3Mode.Aws, ((S3ObjectStore)Aws).Mode);

    [Fact]
    public async Task AwsModeUploadsAreAwsChunkedAndTheDamageS3rverDoesIsCaught()
    {
        var content = RandomNumberGenerator.GetBytes(100_000);
        var failure = await Assert.ThrowsAsync<KbException>(() => Aws.PutAsync("chunked", new MemoryStream(content), default));

        Assert.Equal(ErrorIds.StorageIntegrityCheckFailed, failure.ErrorId);
        Assert.Contains("compatible mode", failure.Message);
        var put = Assert.Single(_recorder.Requests, r => r.Method == "PUT");
        Assert.True(put.IsAwsChunked, "AWS mode is expected to send aws-chunked bodies");
        // The damaged object is not left behind.
        Assert.Null(await Aws.StatAsync("chunked", default));
    }

    [Fact]
    public async Task WhatS3rverStoresFromAnAwsChunkedUploadIsNotWhatWasSent()
    {
        // The raw SDK behaviour the ETag check guards against, shown without our check in the way.
        var content = RandomNumberGenerator.GetBytes(100_000);
        using var raw = new Amazon.S3.AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials(S3rverFixture.AccessKey, S3rverFixture.SecretKey),
            new Amazon.S3.AmazonS3Config { ServiceURL = s3rver.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await raw.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "raw", InputStream = new MemoryStream(content) });

        using var stored = await s3rver.Admin.GetObjectAsync(_bucket, "raw");
        var buffer = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(buffer);
        Assert.NotEqual(content.Length, buffer.Length);
    }

    [Fact]
    public async Task AwsModeMultipartUploadsAreCaughtAndAborted()
    {
        var failure = await Assert.ThrowsAsync<KbException>(() => Aws.PutAsync("large", new MemoryStream(new byte[33 * 1024 * 1024]), default));

        Assert.Equal(ErrorIds.StorageIntegrityCheckFailed, failure.ErrorId);
        Assert.Contains(_recorder.Requests, r => r.Method == "PUT" && r.Uri.Query.Contains("partNumber") && r.IsAwsChunked);
        Assert.Contains(_recorder.Requests, r => r.Method == "DELETE" && r.Uri.Query.Contains("uploadId"));
        Assert.Null(await Aws.StatAsync("large", default));
    }

    /// <summary>Writes through one store and does everything else through another.</summary>
    private sealed class WriteThroughOtherStore(IObjectStore reader, IObjectStore writer) : IObjectStore
    {
        public string Description => reader.Description;

        public Task PutAsync(string key, Stream content, CancellationToken cancellationToken) => writer.PutAsync(key, content, cancellationToken);

        public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) => reader.OpenReadAsync(key, cancellationToken);

        public Task<byte[]> ReadRangeAsync(string key, long offset, int length, CancellationToken cancellationToken) => reader.ReadRangeAsync(key, offset, length, cancellationToken);

        public Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken) => reader.StatAsync(key, cancellationToken);

        public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken) => reader.ListAsync(prefix, cancellationToken);

        public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken) => reader.DeleteAsync(keys, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await reader.DisposeAsync();
            await writer.DisposeAsync();
        }
    }
}
