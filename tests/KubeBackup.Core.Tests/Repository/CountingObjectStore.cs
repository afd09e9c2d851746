using System.Runtime.CompilerServices;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;

namespace KubeBackup.Core.Tests.Repository;

/// <summary>
/// Delegates every call to a real store and counts the bytes written under each key; <see cref="Crash"/> makes every
/// later call fail, as if the process had died: nothing the caller does afterwards reaches the store.
/// </summary>
internal sealed class CountingObjectStore(IObjectStore inner) : IObjectStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _byFolder = new();
    private long _bytesWritten;
    private long _rangeReads;
    private volatile bool _crashed;

    /// <summary>Range reads made: what a reader of many small items pays per request on an object store.</summary>
    public long RangeReads => Interlocked.Read(ref _rangeReads);

    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Bytes written so far per top-level folder ("packs", "backups", "index", ...).</summary>
    public IReadOnlyDictionary<string, long> BytesWrittenByFolder => new Dictionary<string, long>(_byFolder);

    public string Description => inner.Description;

    public void Crash() => _crashed = true;

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        ThrowIfCrashed(key);
        var counting = new MemoryStream();
        await content.CopyToAsync(counting, cancellationToken);
        counting.Position = 0;
        await inner.PutAsync(key, counting, cancellationToken);
        Interlocked.Add(ref _bytesWritten, counting.Length);
        _byFolder.AddOrUpdate(key.Split('/')[0], counting.Length, (_, total) => total + counting.Length);
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        ThrowIfCrashed(key);
        return inner.OpenReadAsync(key, cancellationToken);
    }

    public Task<byte[]> ReadRangeAsync(string key, long offset, int length, CancellationToken cancellationToken)
    {
        ThrowIfCrashed(key);
        Interlocked.Increment(ref _rangeReads);
        return inner.ReadRangeAsync(key, offset, length, cancellationToken);
    }

    public Task<ObjectInfo?> StatAsync(string key, CancellationToken cancellationToken)
    {
        ThrowIfCrashed(key);
        return inner.StatAsync(key, cancellationToken);
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ThrowIfCrashed(prefix);
        await foreach (var info in inner.ListAsync(prefix, cancellationToken))
        {
            yield return info;
        }
    }

    public Task DeleteAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        ThrowIfCrashed(keys.FirstOrDefault() ?? "");
        return inner.DeleteAsync(keys, cancellationToken);
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private void ThrowIfCrashed(string key)
    {
        if (_crashed)
        {
            throw new KbException(ErrorIds.StorageLocationUnavailable, KbErrorCategory.ConnectionError, key, "The process is gone.");
        }
    }
}
