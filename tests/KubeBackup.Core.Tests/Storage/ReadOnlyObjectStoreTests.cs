using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;

namespace KubeBackup.Core.Tests.Storage;

public sealed class ReadOnlyObjectStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kb-readonly-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ReadsPassAndWritesAreRefusedBeforeReachingStorage()
    {
        await new FileSystemObjectStore(_directory).PutAsync("backups/a/backup.json", new MemoryStream([1, 2]), default);
        var location = new StorageLocation { Name = "dr", Provider = StorageProvider.FileSystem, Path = _directory, ReadOnly = true };
        await using var store = ReadOnlyObjectStore.Open(location);

        Assert.Equal(2, (await store.StatAsync("backups/a/backup.json", default))!.Size);
        Assert.Equal([1, 2], await store.ReadRangeAsync("backups/a/backup.json", 0, 2, default));

        var write = await Assert.ThrowsAsync<KbException>(() => store.PutAsync("packs/00/x", new MemoryStream([1]), default));
        Assert.Equal(ErrorIds.StorageLocationReadOnly, write.ErrorId);
        Assert.Equal(KbErrorCategory.PermissionDenied, write.Category);
        Assert.Equal("dr", write.Target);
        var delete = await Assert.ThrowsAsync<KbException>(() => store.DeleteAsync(["backups/a/backup.json"], default));
        Assert.Equal(ErrorIds.StorageLocationReadOnly, delete.ErrorId);

        Assert.False(Directory.Exists(Path.Combine(_directory, "packs")));
        Assert.True(File.Exists(Path.Combine(_directory, "backups", "a", "backup.json")));
    }

    [Fact]
    public async Task WritableLocationsAreNotWrapped()
    {
        await using var store = ReadOnlyObjectStore.Open(new StorageLocation { Name = "rw", Provider = StorageProvider.FileSystem, Path = _directory });
        Assert.IsType<FileSystemObjectStore>(store);
    }
}
