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
