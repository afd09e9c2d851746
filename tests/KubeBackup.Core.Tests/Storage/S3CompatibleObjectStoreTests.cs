using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.S3;
using KubeBackup.Core.Tests.Storage.Servers;

namespace KubeBackup.Core.Tests.Storage;

/// <summary>The contract on s3rver through the S3 provider with a custom endpoint: S3-compatible mode, path style.</summary>
[Collection(S3rverCollection.Name)]
public sealed class S3CompatibleObjectStoreTests(S3rverFixture s3rver) : ObjectStoreContract
{
    private readonly RecordingHandler _recorder = new();
    private string _bucket = "";

    protected override async Task<IObjectStore> CreateStoreAsync()
    {
        _bucket = await s3rver.CreateBucketAsync();
        return ObjectStoreFactory.Create(s3rver.S3Location(_bucket), StorageTestOptions.With(recorder: _recorder));
    }

    [Fact]
    public async Task AnEmptyRangeIsEmptyAndStillNeedsTheObject()
    {
        await Store.PutAsync("p", new MemoryStream([1, 2, 3]), default);
        Assert.Empty(await Store.ReadRangeAsync("p", 1, 0, default));
        Assert.Equal(ErrorIds.ObjectNotFound, (await Assert.ThrowsAsync<KbException>(() => Store.ReadRangeAsync("missing", 0, 0, default))).ErrorId);
    }

    [Fact]
    public void ACustomEndpointUsesTheCompatibleModeAndNamesTheBucket()
    {
        Assert.Equal(S3Mode.Compatible, ((S3ObjectStore)Store).Mode);
        Assert.Equal($"s3://{_bucket}", Store.Description);
    }

    [Fact]
    public async Task NoUploadIsAwsChunkedAndEveryUploadCarriesContentMd5()
    {
        await Store.PutAsync("small", new MemoryStream(new byte[1000]), default);
        await Store.PutAsync("large", new MemoryStream(new byte[17 * 1024 * 1024]), default);

        var uploads = _recorder.Requests.Where(r => r.Method == "PUT").ToList();
        Assert.Equal(3, uploads.Count); // one PutObject, two UploadParts
        Assert.All(uploads, r => Assert.False(r.IsAwsChunked, $"aws-chunked upload to {r.Uri}"));
        Assert.All(uploads, r => Assert.True(r.Headers.ContainsKey("Content-MD5"), $"no Content-MD5 on {r.Uri}"));
        Assert.Contains(_recorder.Requests, r => r.Method == "POST" && r.Uri.Query.Contains("uploads"));
    }

    [Fact]
    public async Task MultiObjectDeleteCarriesContentMd5()
    {
        await Store.PutAsync("a", new MemoryStream([1]), default);
        await Store.DeleteAsync(["a", "b"], default);

        var delete = Assert.Single(_recorder.Requests, r => r.Method == "POST" && r.Uri.Query.Contains("delete"));
        Assert.True(delete.Headers.ContainsKey("Content-MD5"));
        Assert.Null(await Store.StatAsync("a", default));
    }

    [Fact]
    public async Task AFailedUploadLeavesNoObjectAndNoOpenMultipartUpload()
    {
        var source = new FailingAfterStream(40 * 1024 * 1024);
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync("half", source, default));

        Assert.Null(await Store.StatAsync("half", default));
        Assert.Contains(_recorder.Requests, r => r.Method == "DELETE" && r.Uri.Query.Contains("uploadId"));
    }

    /// <summary>Gives <paramref name="good"/> bytes, then fails like a broken pipe from a pod.</summary>
    private sealed class FailingAfterStream(int good) : Stream
    {
        private int _given;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_given >= good)
            {
                throw new IOException("The source failed midway.");
            }
            var n = Math.Min(count, good - _given);
            _given += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
