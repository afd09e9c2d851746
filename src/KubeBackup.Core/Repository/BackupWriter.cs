using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Repository;

/// <summary>
/// Writes one backup. Items and stream chunks become blobs; blobs the repository already holds are only referenced;
/// new ones are buffered into packs that are uploaded while the backup goes on. Memory is bounded: one open pack plus
/// <see cref="RepositoryOptions.MaxConcurrentUploads"/> packs in flight (adders wait for an upload slot), plus one
/// maximum-size chunk buffer per stream being added. Nothing is visible until <see cref="CommitAsync"/> writes the
/// record, the commit point. AddItemAsync and AddStreamAsync may be called concurrently.
/// </summary>
public sealed class BackupWriter : IAsyncDisposable
{
    private const int Open = 0;
    private const int Committing = 1;
    private const int Committed = 2;
    private const int Aborted = 3;

    private readonly BackupRepository _repository;
    private readonly RepositoryLock _lock;
    private readonly IReadOnlyDictionary<BlobId, BlobRef> _known;
    private readonly ConcurrentDictionary<BlobId, byte> _written = new();
    private readonly ConcurrentDictionary<BlobId, BlobRef> _newLocations = new();
    private readonly ConcurrentDictionary<ItemKey, ManifestEntry?> _entries = new();
    private readonly ConcurrentBag<string> _packsUploaded = [];
    private readonly ConcurrentBag<Task> _uploads = [];
    private readonly SemaphoreSlim _packGate = new(1, 1);
    private readonly SemaphoreSlim _uploadSlots;
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    // Uploads carry blobs of many items, so they stop only when the whole writer stops, not when one add is cancelled.
    private readonly CancellationTokenSource _stopping = new();
    // Pack buffers are reused: a new 24 MB array per pack would be large-object-heap garbage that only a full collection
    // frees, and at 100,000 objects that garbage, not the data, decided the backup's peak memory.
    private readonly ConcurrentBag<byte[]> _packBuffers = [];
    private PackWriter? _openPack;
    private Exception? _failure;
    private int _state;
    private string? _indexKey;
    private bool _manifestWritten;
    private long _buffered;
    private long _peakBuffered;
    private long _items;
    private long _streams;
    private long _logicalBytes;
    private long _blobs;
    private long _newBlobs;
    private long _bytesAdded;

    internal BackupWriter(BackupRepository repository, string name, string? parent, RepositoryLock held, IReadOnlyDictionary<BlobId, BlobRef> known)
    {
        _repository = repository;
        Name = name;
        Parent = parent;
        _lock = held;
        _known = known;
        _uploadSlots = new SemaphoreSlim(repository.Options.MaxConcurrentUploads, repository.Options.MaxConcurrentUploads);
    }

    public string Name { get; }

    public string? Parent { get; }

    /// <summary>Bytes held in packs not yet uploaded and in stream chunk buffers, now.</summary>
    public long BufferedBytes => Interlocked.Read(ref _buffered);

    /// <summary>The most <see cref="BufferedBytes"/> has been: the diagnostic for the memory bound.</summary>
    public long PeakBufferedBytes => Interlocked.Read(ref _peakBuffered);

    /// <summary>The bound on pack buffers: the open pack and the uploads in flight, each at most a target plus one blob.</summary>
    public long PackBufferLimit => (long)(_repository.Options.MaxConcurrentUploads + 1) * (_repository.Options.PackTargetSize + MaxStoredBlobSize);

    /// <summary>The buffer each concurrent AddStreamAsync holds (the chunker's maximum chunk).</summary>
    public int StreamBufferSize => _repository.Chunker.Parameters.MaxSize;

    // One more blob of the largest size, its encoding and header entry, and the sealed header's and trailer's overhead:
    // a pack is sealed once blobs and header reach the target, so its buffer never grows past target plus this.
    private int MaxStoredBlobSize => _repository.Chunker.Parameters.MaxSize + 1024;

    // The largest pack: the target, one more blob, and its sealed header and trailer (inside the blob's margin, plus slack).
    private int PackCapacity => _repository.Options.PackTargetSize + MaxStoredBlobSize + 4096;

    public BackupStats Stats => new(Interlocked.Read(ref _items), Interlocked.Read(ref _streams), Interlocked.Read(ref _logicalBytes),
        Interlocked.Read(ref _blobs), Interlocked.Read(ref _newBlobs), Interlocked.Read(ref _bytesAdded), _packsUploaded.Count);

    /// <summary>Adds an object's JSON (or any bytes). Items larger than the maximum chunk are chunked like streams.</summary>
    public async Task AddItemAsync(ItemKey key, ReadOnlyMemory<byte> json, CancellationToken cancellationToken = default)
    {
        Reserve(ref key);
        try
        {
            var ids = new List<BlobId>(1);
            if (json.Length <= _repository.Chunker.Parameters.MaxSize)
            {
                ids.Add(await StoreBlobAsync(json, cancellationToken).ConfigureAwait(false));
            }
            else
            {
                foreach (var (offset, length) in _repository.Chunker.Split(json))
                {
                    ids.Add(await StoreBlobAsync(json.Slice(offset, length), cancellationToken).ConfigureAwait(false));
                }
            }
            Complete(key, ManifestEntryKind.Item, json.Length, ids);
            Interlocked.Increment(ref _items);
        }
        catch
        {
            _entries.TryRemove(key, out _);
            throw;
        }
    }

    /// <summary>Adds data of unknown length, cut into content-defined chunks as it is read.</summary>
    public async Task AddStreamAsync(ItemKey key, Stream data, CancellationToken cancellationToken = default)
    {
        Reserve(ref key);
        var buffer = new byte[_repository.Chunker.Parameters.MaxSize];
        AddBuffered(buffer.Length);
        try
        {
            var ids = new List<BlobId>();
            long size = 0;
            await foreach (var chunk in _repository.Chunker.ChunksAsync(data, buffer, cancellationToken).ConfigureAwait(false))
            {
                ids.Add(await StoreBlobAsync(chunk, cancellationToken).ConfigureAwait(false));
                size += chunk.Length;
            }
            Complete(key, ManifestEntryKind.Stream, size, ids);
            Interlocked.Increment(ref _streams);
        }
        catch
        {
            _entries.TryRemove(key, out _);
            throw;
        }
        finally
        {
            AddBuffered(-buffer.Length);
        }
    }

    private void Reserve(ref ItemKey key)
    {
        ThrowIfNotOpen();
        // Every item repeats its group, version, resource and namespace; one instance each keeps the entries small.
        key = key with
        {
            Group = _repository.Intern(key.Group),
            Version = _repository.Intern(key.Version),
            Resource = _repository.Intern(key.Resource),
            Namespace = key.Namespace is null ? null : _repository.Intern(key.Namespace),
        };
        if (!_entries.TryAdd(key, null))
        {
            throw new KbException(ErrorIds.BackupItemDuplicate, KbErrorCategory.InvalidArgument, key, $"Item {key} was already added to backup '{Name}'.");
        }
    }

    private void Complete(ItemKey key, ManifestEntryKind kind, long size, List<BlobId> ids)
    {
        // Locations are filled in at commit, when every pack has its id.
        _entries[key] = new ManifestEntry(key, kind, size, ids.Select(id => new BlobRef(id, "", 0, 0)).ToList());
        Interlocked.Add(ref _logicalBytes, size);
    }

    private async Task<BlobId> StoreBlobAsync(ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        var id = _repository.Codec.ComputeId(plaintext.Span);
        Interlocked.Increment(ref _blobs);
        if (_known.ContainsKey(id) || !_written.TryAdd(id, 0))
        {
            return id;
        }
        try
        {
            var stored = _repository.Codec.Encode(id, plaintext.Span);
            await AppendAsync(id, stored, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _newBlobs);
            Interlocked.Add(ref _bytesAdded, stored.Length);
            return id;
        }
        catch (Exception e)
        {
            // Another item may already reference this blob as stored: the backup cannot be completed any more.
            Interlocked.CompareExchange(ref _failure, e, null);
            throw;
        }
    }

    private async Task AppendAsync(BlobId id, byte[] stored, CancellationToken cancellationToken)
    {
        await _packGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfFailed();
            _openPack ??= new PackWriter(_packBuffers.TryTake(out var buffer) ? buffer : new byte[PackCapacity]);
            _openPack.Add(id, stored);
            AddBuffered(stored.Length);
            if (_openPack.Length + (long)_openPack.Count * PackWriter.HeaderEntrySize >= _repository.Options.PackTargetSize)
            {
                // Waiting for a slot while holding the gate is the back-pressure: no adder outruns the uploads.
                await StartUploadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _packGate.Release();
        }
    }

    /// <summary>Seals the open pack and starts its upload once a slot is free. Called with the gate held.</summary>
    private async Task StartUploadAsync(CancellationToken cancellationToken)
    {
        var pack = _openPack!;
        _openPack = null;
        var held = pack.Length;
        try
        {
            await _uploadSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The pack's blobs are counted as stored; without it the backup cannot be completed.
            AddBuffered(-held);
            Interlocked.CompareExchange(ref _failure, e, null);
            throw;
        }
        var sealedPack = pack.Seal(_repository.Codec);
        foreach (var (id, offset, length) in sealedPack.Blobs)
        {
            _newLocations[id] = new BlobRef(id, _repository.Intern(sealedPack.Id), offset, length);
        }
        _uploads.Add(UploadAsync(sealedPack, held, _stopping.Token));
    }

    private async Task UploadAsync(SealedPack pack, long held, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield();
            await _repository.Store.PutAsync(RepositoryLayout.Pack(pack.Id), pack.OpenRead(), cancellationToken).ConfigureAwait(false);
            _packsUploaded.Add(pack.Id);
            _repository.Options.Sink.Verbose($"Backup '{Name}': uploaded pack {pack.Id} ({pack.Length} bytes, {pack.Blobs.Count} blobs).");
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
        }
        finally
        {
            _packBuffers.Add(pack.Buffer);
            AddBuffered(-held);
            _uploadSlots.Release();
        }
    }

    /// <summary>Uploads the open pack and waits for every upload; rethrows the first upload failure.</summary>
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _packGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_openPack is { Count: > 0 })
            {
                await StartUploadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _packGate.Release();
        }
        await Task.WhenAll(_uploads.ToArray()).ConfigureAwait(false);
        ThrowIfFailed();
    }

    /// <summary>
    /// Uploads the remaining packs, then the index of the new packs, the manifest, the log, and the record last: the
    /// commit point. BackupAlreadyExists if the name was taken meanwhile; RepositoryLocked if the lock was taken over.
    /// </summary>
    public async Task<BackupInfo> CommitAsync(ReadOnlyMemory<byte> recordJson, ReadOnlyMemory<byte> logJsonLines = default, CancellationToken cancellationToken = default)
    {
        var record = BackupRecord.ParseCallerRecord(recordJson, Name);
        if (Interlocked.CompareExchange(ref _state, Committing, Open) != Open)
        {
            throw new InvalidOperationException($"Backup '{Name}' is already {(_state == Committed ? "committed" : "being committed or aborted")}.");
        }
        var store = _repository.Store;
        await FlushAsync(cancellationToken).ConfigureAwait(false);

        // One sorted list, resolved in place, and the dictionary let go: at 100,000 items two copies of the entries
        // would be the largest thing a backup ever holds.
        var entries = _entries.Values.OfType<ManifestEntry>().ToList();
        _entries.Clear();
        _written.Clear();
        entries.Sort((a, b) => ItemKey.CompareSortKeys(a.Key, b.Key));
        for (var i = 0; i < entries.Count; i++)
        {
            entries[i] = Resolve(entries[i]);
        }
        var chunks = new List<(BlobId Id, int Count)>();
        foreach (var (json, count) in ManifestFormat.Chunk(entries))
        {
            chunks.Add((await StoreBlobAsync(json, cancellationToken).ConfigureAwait(false), count));
        }
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var chunkRefs = chunks.Select(c => (Locate(c.Id), c.Count)).ToList();
        var packs = entries.SelectMany(e => e.Blobs).Concat(chunkRefs.Select(c => c.Item1)).Select(b => b.PackId)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        if (!_packsUploaded.IsEmpty)
        {
            var newPacks = _newLocations.Values.GroupBy(b => b.PackId)
                .Select(g => (g.Key, g.OrderBy(b => b.Offset).Select(b => (b.Id, b.Offset, b.Length))));
            _indexKey = await RepositoryIndex.WriteAsync(store, _repository.Codec, RepositoryIndex.Serialize(newPacks), cancellationToken).ConfigureAwait(false);
        }

        var time = DateTimeOffset.UtcNow;
        var header = new ManifestHeader(RepositoryLayout.FormatVersion, Name, Parent, _started, entries.Count, Interlocked.Read(ref _logicalBytes), packs, chunkRefs);
        var manifest = SealedObject.Seal(_repository.Codec, header.ToJson(), out var manifestId);
        await _repository.ThrowIfBackupExistsAsync(Name, cancellationToken).ConfigureAwait(false);
        _manifestWritten = true;
        await store.PutAsync(RepositoryLayout.BackupManifest(Name), new MemoryStream(manifest), cancellationToken).ConfigureAwait(false);
        if (!logJsonLines.IsEmpty)
        {
            await store.PutAsync(RepositoryLayout.BackupLog(Name), new MemoryStream(SealedObject.Seal(_repository.Codec, logJsonLines.Span, out _)), cancellationToken).ConfigureAwait(false);
        }
        if (!await _lock.IsStillHeldAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new KbException(ErrorIds.RepositoryLocked, KbErrorCategory.ResourceUnavailable, Name,
                $"The lock of backup '{Name}' was taken over (it was not refreshed for {_repository.Options.LockStaleAfter}); the backup was not committed.");
        }
        await _repository.ThrowIfBackupExistsAsync(Name, cancellationToken).ConfigureAwait(false);
        var stats = Stats;
        var recordBytes = BackupRecord.Complete(record, Name, Parent, time, manifestId, stats);
        await store.PutAsync(RepositoryLayout.BackupRecord(Name), new MemoryStream(recordBytes), cancellationToken).ConfigureAwait(false);
        _state = Committed;
        await _lock.DisposeAsync().ConfigureAwait(false);
        _repository.Options.Sink.Verbose($"Backup '{Name}' committed: {stats.Items} items, {stats.Streams} streams, {stats.NewBlobs} new of {stats.Blobs} blobs, {stats.BytesAdded} bytes added.");
        return BackupRecord.Parse(Name, recordBytes);
    }

    private ManifestEntry Resolve(ManifestEntry entry) => entry with { Blobs = entry.Blobs.Select(b => Locate(b.Id)).ToList() };

    private BlobRef Locate(BlobId id) =>
        _newLocations.TryGetValue(id, out var location) || _known.TryGetValue(id, out location)
            ? location
            : throw new InvalidOperationException($"Blob {id} was stored but has no location.");

    /// <summary>
    /// Abandons the backup: nothing becomes visible. Its packs are deleted unless its index was already written (another
    /// backup may then reference them; prune decides). Best effort: whatever cannot be removed, prune removes later.
    /// </summary>
    public async Task AbortAsync(CancellationToken cancellationToken = default)
    {
        var previous = Interlocked.Exchange(ref _state, Aborted);
        if (previous is Committed or Aborted)
        {
            _state = previous;
            return;
        }
        Interlocked.CompareExchange(ref _failure, new OperationCanceledException($"Backup '{Name}' was aborted."), null);
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_uploads.ToArray()).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Upload failures are already recorded; an abort only cleans up.
        }
        var garbage = new List<string>();
        if (_indexKey is null)
        {
            garbage.AddRange(_packsUploaded.Select(RepositoryLayout.Pack));
        }
        if (_manifestWritten && await RecordMissingAsync(cancellationToken).ConfigureAwait(false))
        {
            garbage.Add(RepositoryLayout.BackupManifest(Name));
            garbage.Add(RepositoryLayout.BackupLog(Name));
        }
        try
        {
            await _repository.Store.DeleteAsync(garbage, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KbException or IOException)
        {
            _repository.Options.Sink.Warning($"Backup '{Name}' was aborted; {garbage.Count} objects could not be removed and are left to prune: {e.Message}");
        }
        try
        {
            await _lock.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is KbException or IOException)
        {
            _repository.Options.Sink.Warning($"Backup '{Name}' was aborted; its lock could not be removed and will go stale: {e.Message}");
        }
    }

    private async Task<bool> RecordMissingAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _repository.Store.StatAsync(RepositoryLayout.BackupRecord(Name), cancellationToken).ConfigureAwait(false) is null;
        }
        catch (Exception e) when (e is KbException or IOException)
        {
            return false;
        }
    }

    private void ThrowIfNotOpen()
    {
        if (Volatile.Read(ref _state) != Open)
        {
            throw new InvalidOperationException($"Backup '{Name}' is no longer open for items.");
        }
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    private void AddBuffered(long bytes)
    {
        var now = Interlocked.Add(ref _buffered, bytes);
        long peak;
        while (now > (peak = Interlocked.Read(ref _peakBuffered)) && Interlocked.CompareExchange(ref _peakBuffered, now, peak) != peak)
        {
        }
    }

    /// <summary>Aborts unless committed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _state) != Committed)
        {
            await AbortAsync(CancellationToken.None).ConfigureAwait(false);
        }
        _packGate.Dispose();
        _uploadSlots.Dispose();
        _stopping.Dispose();
    }
}
