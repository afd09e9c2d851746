using KubeBackup.Core.Storage;

namespace KubeBackup.Core.Tests.Storage;

public sealed class FileSystemObjectStoreTests : ObjectStoreContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kb-fs-store-").FullName;

    protected override Task<IObjectStore> CreateStoreAsync() => Task.FromResult<IObjectStore>(new FileSystemObjectStore(Path.Combine(_directory, "root")));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task NothingIsWrittenOutsideTheRoot()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => Store.PutAsync("../outside", new MemoryStream([1]), default));
        Assert.False(File.Exists(Path.Combine(_directory, "outside")));
        Assert.All(Directory.EnumerateFileSystemEntries(_directory), e => Assert.Equal("root", Path.GetFileName(e)));
    }

    [Fact]
    public async Task AnInterruptedWriteLeavesNoObject()
    {
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync("half", new FailingStream(), default));
        Assert.Null(await Store.StatAsync("half", default));
        Assert.Empty(await KeysAsync(""));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_directory, "root"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void TheDescriptionIsAFileUrl()
    {
        Assert.StartsWith("file:///", Store.Description);
    }

    private sealed class FailingStream : Stream
    {
        private int _reads;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) =>
            ++_reads < 3 ? count : throw new IOException("The source failed midway.");
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
