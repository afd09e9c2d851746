using System.Security.Cryptography;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;

namespace KubeBackup.Core.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IObjectStore"/> provider must have. Each provider's test class derives from
/// this one and supplies a store on a real backend (a temp directory, s3rver, Azurite), empty and private to the test.
/// </summary>
public abstract class ObjectStoreContract : IAsyncLifetime
{
    private IObjectStore? _store;

    protected IObjectStore Store => _store ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>A new, empty store for one test.</summary>
    protected abstract Task<IObjectStore> CreateStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    [InlineData(20 * 1024 * 1024 + 17)]
    public async Task WhatIsPutIsReadBackByteForByte(int size)
    {
        var content = RandomNumberGenerator.GetBytes(size);
        await Store.PutAsync("data/object", new MemoryStream(content), default);

        Assert.Equal(content, await ReadAllAsync("data/object"));
        Assert.Equal(size, (await Store.StatAsync("data/object", default))!.Size);
    }

    [Fact]
    public async Task AStreamOfUnknownLengthIsStored()
    {
        var content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 5);
        await Store.PutAsync("stream", new UnseekableStream(content), default);
        Assert.Equal(content, await ReadAllAsync("stream"));
    }

    [Fact]
    public async Task PutReplacesTheWholeObject()
    {
        await Store.PutAsync("key", new MemoryStream(new byte[1000]), default);
        await Store.PutAsync("key", new MemoryStream([1, 2, 3]), default);
        Assert.Equal([1, 2, 3], await ReadAllAsync("key"));
    }

    [Fact]
    public async Task RangesReadTheBytesAskedFor()
    {
        var content = RandomNumberGenerator.GetBytes(100_000);
        await Store.PutAsync("packs/ab/pack", new MemoryStream(content), default);

        Assert.Equal(content[1000..1100], await Store.ReadRangeAsync("packs/ab/pack", 1000, 100, default));
        Assert.Equal(content[^10..], await Store.ReadRangeAsync("packs/ab/pack", content.Length - 10, 10, default));
        Assert.Equal(content[..1], await Store.ReadRangeAsync("packs/ab/pack", 0, 1, default));
    }

    [Fact]
    public async Task AMissingObjectIsNotFound()
    {
        Assert.Null(await Store.StatAsync("missing", default));
        var read = await Assert.ThrowsAsync<KbException>(() => Store.OpenReadAsync("missing/object", default));
        Assert.Equal(ErrorIds.ObjectNotFound, read.ErrorId);
        Assert.Equal("missing/object", read.Target);
        var range = await Assert.ThrowsAsync<KbException>(() => Store.ReadRangeAsync("missing/object", 0, 1, default));
        Assert.Equal(ErrorIds.ObjectNotFound, range.ErrorId);
    }

    [Fact]
    public async Task ListingReturnsEveryObjectUnderThePrefixInKeyOrder()
    {
        string[] keys = ["backups/b/backup.json", "backups/a/manifest", "backups/a/backup.json", "backupsx/other", "packs/00/p1", "kubebackup.json"];
        foreach (var key in keys)
        {
            await Store.PutAsync(key, new MemoryStream([7]), default);
        }

        Assert.Equal(["backups/a/backup.json", "backups/a/manifest", "backups/b/backup.json"], await KeysAsync("backups/"));
        Assert.Equal(["backups/a/backup.json", "backups/a/manifest", "backups/b/backup.json", "backupsx/other"], await KeysAsync("backups"));
        Assert.Equal(keys.Order(StringComparer.Ordinal), await KeysAsync(""));
        Assert.Empty(await KeysAsync("nothing/"));
        Assert.All(await Store.ListAsync("packs/", default).ToListAsync(), o => Assert.Equal(1, o.Size));
    }

    [Fact]
    public async Task ListingPagesThroughManyObjects()
    {
        const int count = 1234; // more than one page of an S3 or Azure listing
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) => await Store.PutAsync($"many/{i:D5}", new MemoryStream([1]), ct));

        var listed = await KeysAsync("many/");
        Assert.Equal(count, listed.Count);
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task DeleteRemovesObjectsAndIgnoresMissingOnes()
    {
        for (var i = 0; i < 1100; i++)
        {
            await Store.PutAsync($"d/{i:D4}", new MemoryStream([1]), default);
        }
        await Store.PutAsync("keep", new MemoryStream([1]), default);

        await Store.DeleteAsync((await KeysAsync("d/")).Append("never-existed").ToList(), default);

        Assert.Empty(await KeysAsync("d/"));
        Assert.NotNull(await Store.StatAsync("keep", default));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../escape")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("a\\..\\b")]
    [InlineData("C:/Windows/win.ini")]
    [InlineData("trailing/")]
    [InlineData("")]
    [InlineData("bad\u0000name")]
    public async Task KeysThatCouldEscapeTheRootAreRefusedBeforeAnyIo(string key)
    {
        var put = await Assert.ThrowsAsync<KbException>(() => Store.PutAsync(key, new MemoryStream([1]), default));
        Assert.Equal(ErrorIds.InvalidObjectKey, put.ErrorId);
        Assert.Equal(KbErrorCategory.InvalidArgument, put.Category);
        await Assert.ThrowsAsync<KbException>(() => Store.OpenReadAsync(key, default));
        await Assert.ThrowsAsync<KbException>(() => Store.DeleteAsync([key], default));
    }

    protected async Task<byte[]> ReadAllAsync(string key)
    {
        await using var stream = await Store.OpenReadAsync(key, default);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    protected async Task<List<string>> KeysAsync(string prefix) =>
        (await Store.ListAsync(prefix, default).ToListAsync()).Select(o => o.Key).ToList();

    /// <summary>A stream that does not know its length, like a database dump piped from a pod.</summary>
    protected sealed class UnseekableStream(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 4096));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
