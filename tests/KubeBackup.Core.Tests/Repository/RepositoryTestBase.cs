using System.Text;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Storage;

namespace KubeBackup.Core.Tests.Repository;

/// <summary>A real FileSystemObjectStore in a temp directory, behind a counting wrapper.</summary>
public abstract class RepositoryTestBase : IDisposable
{
    /// <summary>Small chunks keep stream tests fast; the format takes any valid sizes.</summary>
    internal static readonly ChunkerParameters SmallChunks = new(16 * 1024, 64 * 1024, 256 * 1024);

    private readonly List<BackupRepository> _opened = [];

    protected RepositoryTestBase()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("kb-repo-").FullName;
        Inner = new FileSystemObjectStore(Path.Combine(Directory, "store"));
        Store = new CountingObjectStore(Inner);
    }

    protected string Directory { get; }

    internal FileSystemObjectStore Inner { get; }

    internal CountingObjectStore Store { get; }

    internal RecordingSink Sink { get; } = new();

    internal RepositoryOptions Options => new() { Sink = Sink, PackTargetSize = 1024 * 1024 };

    internal async Task<BackupRepository> InitAsync(RepositoryKey? key = null, RepositoryCompression compression = RepositoryCompression.Zstd,
        ChunkerParameters? chunker = null, RepositoryOptions? options = null, IObjectStore? store = null)
    {
        var repository = await BackupRepository.InitializeAsync(store ?? Store,
            new RepositoryInitOptions { Encryption = key, Compression = compression, KdfIterations = 1000, Chunker = chunker ?? SmallChunks },
            options ?? Options);
        _opened.Add(repository);
        return repository;
    }

    internal async Task<BackupRepository> OpenAsync(RepositoryKey? key = null, RepositoryOptions? options = null, IObjectStore? store = null)
    {
        var repository = await BackupRepository.OpenAsync(store ?? Store, key, options ?? Options);
        _opened.Add(repository);
        return repository;
    }

    internal static RepositoryKey Passphrase(string value = "correct horse battery staple") => RepositoryKey.FromPassphrase(value);

    internal static ItemKey Key(string name, string? ns = "default", string resource = "configmaps") => new("", "v1", resource, ns, name);

    internal static byte[] Record(string phase = "Completed") => Encoding.UTF8.GetBytes($$"""{"phase":"{{phase}}"}""");

    internal static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    internal static async Task<BackupInfo> WriteBackupAsync(BackupRepository repository, string name, IEnumerable<(ItemKey Key, byte[] Json)> items, string? parent = null)
    {
        await using var writer = await repository.BeginBackupAsync(name, parent);
        foreach (var (key, json) in items)
        {
            await writer.AddItemAsync(key, json);
        }
        return await writer.CommitAsync(Record());
    }

    /// <summary>Packs upload in the background; waits until the writer has uploaded at least <paramref name="count"/>.</summary>
    internal static async Task WaitForPacksAsync(BackupWriter writer, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (writer.Stats.PacksAdded < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the writer uploaded {writer.Stats.PacksAdded} of {count} packs in 20 s");
            await Task.Delay(10);
        }
    }

    internal IEnumerable<string> Files(string prefix) =>
        System.IO.Directory.Exists(Path.Combine(Inner.RootDirectory, prefix))
            ? System.IO.Directory.EnumerateFiles(Path.Combine(Inner.RootDirectory, prefix), "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".kbtmp", StringComparison.Ordinal))
            : [];

    internal static async Task<KbException> ThrowsKb(string errorId, Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<KbException>(action);
        Assert.Equal(errorId, e.ErrorId);
        return e;
    }

    public void Dispose()
    {
        foreach (var repository in _opened)
        {
            repository.Dispose();
        }
        System.IO.Directory.Delete(Directory, recursive: true);
        GC.SuppressFinalize(this);
    }
}

internal sealed class RecordingSink : IOperationSink
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_messages)
            {
                return _messages.Where(m => m.StartsWith("WARNING ", StringComparison.Ordinal)).Select(m => m[8..]).ToList();
            }
        }
    }

    public IReadOnlyList<string> All
    {
        get
        {
            lock (_messages)
            {
                return _messages.ToList();
            }
        }
    }

    public void Progress(OperationProgress progress)
    {
        lock (_messages)
        {
            _messages.Add("PROGRESS " + progress.Status);
        }
    }

    public void Verbose(string message)
    {
        lock (_messages)
        {
            _messages.Add("VERBOSE " + message);
        }
    }

    public void Warning(string message)
    {
        lock (_messages)
        {
            _messages.Add("WARNING " + message);
        }
    }
}

/// <summary>Deterministic pseudo-random bytes of any length, read without ever holding them all.</summary>
internal sealed class GeneratedStream(long length, int seed, long insertAt = -1, byte[]? insertion = null) : Stream
{
    private readonly Random _random = new(seed);
    private long _position;
    private int _inserted;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length + (insertion?.Length ?? 0);

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var written = 0;
        while (written < count)
        {
            if (insertion is not null && _position - _inserted == insertAt && _inserted < insertion.Length)
            {
                var n = Math.Min(count - written, insertion.Length - _inserted);
                Array.Copy(insertion, _inserted, buffer, offset + written, n);
                _inserted += n;
                _position += n;
                written += n;
                continue;
            }
            var source = _position - _inserted;
            var limit = insertion is not null && source < insertAt ? insertAt : length;
            var take = (int)Math.Min(count - written, limit - source);
            if (take <= 0)
            {
                break;
            }
            _random.NextBytes(buffer.AsSpan(offset + written, take));
            _position += take;
            written += take;
        }
        return written;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
