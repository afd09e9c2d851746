using System.Runtime.CompilerServices;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Repository;

/// <summary>
/// Reads a committed backup: its entries (streamed chunk by chunk, or all at once) and each item's bytes. Every blob
/// is checked (tag, hash) as it is read; damage is a KbException naming the item and the pack, never garbage.
/// </summary>
public sealed class BackupReader
{
    private readonly BackupRepository _repository;
    private readonly ManifestHeader _header;

    internal BackupReader(BackupRepository repository, BackupInfo info, ManifestHeader header)
    {
        _repository = repository;
        Info = info;
        _header = header;
    }

    public BackupInfo Info { get; }

    public long EntryCount => _header.EntryCount;

    /// <summary>The entries, sorted by namespace, group, resource and name, read one manifest chunk at a time.</summary>
    public async IAsyncEnumerable<ManifestEntry> ReadEntriesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var (chunk, _) in _header.Chunks)
        {
            foreach (var entry in await ReadChunkAsync(_repository, Info.Name, chunk, cancellationToken).ConfigureAwait(false))
            {
                yield return entry;
            }
        }
    }

    public async Task<IReadOnlyList<ManifestEntry>> GetManifestAsync(CancellationToken cancellationToken = default)
    {
        var entries = new List<ManifestEntry>((int)Math.Min(_header.EntryCount, 1_000_000));
        await foreach (var entry in ReadEntriesAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(entry);
        }
        return entries;
    }

    /// <summary>The whole content of an entry (an object's JSON).</summary>
    public async Task<byte[]> ReadItemAsync(ManifestEntry entry, CancellationToken cancellationToken = default)
    {
        var what = Describe(entry);
        if (entry.Blobs.Count == 1)
        {
            return await BlobFetcher.ReadAsync(_repository, entry.Blobs[0], what, cancellationToken).ConfigureAwait(false);
        }
        using var content = new MemoryStream();
        foreach (var blob in entry.Blobs)
        {
            content.Write(await BlobFetcher.ReadAsync(_repository, blob, what, cancellationToken).ConfigureAwait(false));
        }
        return content.ToArray();
    }

    /// <summary>
    /// Reads many items with few requests, for restores and comparisons of whole backups: items of one pack that lie
    /// close together are fetched with one range read (an object store answers 10,000 small reads far slower than 100
    /// large ones) and decoded apart. Each item reaches <paramref name="consume"/> with its content or its own failure
    /// (damaged, missing); a range that cannot be read falls back to item-by-item reads, so every failure names its item.
    /// </summary>
    public async Task ReadItemsAsync(IReadOnlyList<ManifestEntry> entries, int maxConcurrency, Func<ManifestEntry, byte[]?, KbException?, ValueTask> consume, CancellationToken cancellationToken = default)
    {
        var runs = BlobRuns.Plan(entries);
        await Parallel.ForEachAsync(runs, new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken }, async (run, token) =>
        {
            byte[]? bytes = null;
            if (run.PackId is { } pack)
            {
                try
                {
                    bytes = await _repository.Store.ReadRangeAsync(RepositoryLayout.Pack(pack), run.Offset, run.Length, token).ConfigureAwait(false);
                }
                catch (KbException e) when (e.ErrorId is ErrorIds.ObjectNotFound or ErrorIds.ObjectTruncated)
                {
                    bytes = null; // read each item alone below: its own error names it
                }
            }
            foreach (var entry in run.Entries)
            {
                var (content, failure) = bytes is not null && Slice(bytes, run.Offset, entry) is { } stored
                    ? Decode(entry, stored)
                    : await ReadAloneAsync(entry, token).ConfigureAwait(false);
                await consume(entry, content, failure).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    private static ReadOnlyMemory<byte>? Slice(byte[] bytes, long runOffset, ManifestEntry entry)
    {
        var blob = entry.Blobs[0];
        var start = blob.Offset - runOffset;
        return start + blob.Length <= bytes.Length ? bytes.AsMemory((int)start, blob.Length) : null;
    }

    private (byte[]? Content, KbException? Failure) Decode(ManifestEntry entry, ReadOnlyMemory<byte> stored)
    {
        try
        {
            return (_repository.Codec.Decode(entry.Blobs[0].Id, stored.Span), null);
        }
        catch (BlobDamagedException e)
        {
            return (null, BlobFetcher.Corrupted(_repository, entry.Blobs[0], Describe(entry), e.Reason, e));
        }
    }

    private async Task<(byte[]? Content, KbException? Failure)> ReadAloneAsync(ManifestEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            return (await ReadItemAsync(entry, cancellationToken).ConfigureAwait(false), null);
        }
        catch (KbException e) when (e.ErrorId is ErrorIds.BlobCorrupted or ErrorIds.PackMissing)
        {
            return (null, e);
        }
    }

    /// <summary>A read-only stream over an entry that fetches one chunk at a time as it is read.</summary>
    public Task<Stream> OpenStreamAsync(ManifestEntry entry, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new ChunkedReadStream(_repository, entry, Describe(entry)));

    internal string Describe(ManifestEntry entry) => $"Item {entry.Key} of backup '{Info.Name}'";

    internal static async Task<List<ManifestEntry>> ReadChunkAsync(BackupRepository repository, string backup, BlobRef chunk, CancellationToken cancellationToken)
    {
        var json = await BlobFetcher.ReadAsync(repository, chunk, $"The manifest of backup '{backup}'", cancellationToken).ConfigureAwait(false);
        try
        {
            return ManifestFormat.ParseChunk(json, repository.Intern);
        }
        catch (FormatException e)
        {
            throw new KbException(ErrorIds.ManifestCorrupted, KbErrorCategory.InvalidData, backup, $"The manifest of backup '{backup}' is damaged: {e.Message}.", e);
        }
    }
}
