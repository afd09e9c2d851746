using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;
using KubeBackup.Core.Storage;

namespace KubeBackup.Core.Repository;

/// <summary>
/// Which blobs the repository holds and where: the union of the write-once files under <c>index/</c>. Each committed
/// backup writes one for the packs it added; prune consolidates them. A writer loads it at the start so it uploads
/// only blobs the repository does not hold, without reading every manifest. Entries whose pack no longer exists are
/// dropped on load, so a stale index can cost a re-upload but never a reference to missing data.
/// </summary>
internal static class RepositoryIndex
{
    public static byte[] Serialize(IEnumerable<(string PackId, IEnumerable<(BlobId Id, long Offset, int Length)> Blobs)> packs)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Span<char> hex = stackalloc char[BlobId.Size * 2];
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("packs");
            foreach (var (packId, blobs) in packs)
            {
                w.WriteStartObject();
                w.WriteString("id", packId);
                w.WriteStartArray("blobs");
                foreach (var (id, offset, length) in blobs)
                {
                    w.WriteStartArray();
                    // Formatted in place: an index of 100,000 blobs would otherwise make 100,000 strings at commit.
                    w.WriteStringValue(id.Format(hex));
                    w.WriteNumberValue(offset);
                    w.WriteNumberValue(length);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes an index file named by the SHA-256 of its bytes and returns its key.</summary>
    public static async Task<string> WriteAsync(IObjectStore store, BlobCodec codec, byte[] plaintext, CancellationToken cancellationToken)
    {
        var bytes = SealedObject.Seal(codec, plaintext, out _);
        var key = RepositoryLayout.Index(Hex.Lower(SHA256.HashData(bytes)));
        await store.PutAsync(key, new MemoryStream(bytes), cancellationToken).ConfigureAwait(false);
        return key;
    }

    /// <summary>Every index file's key and its packs with their blobs; unreadable files are reported and skipped.</summary>
    public static async Task<List<(string Key, List<(string PackId, List<(BlobId Id, long Offset, int Length)> Blobs)> Packs)>> ReadAllAsync(
        IObjectStore store, BlobCodec codec, IOperationSink sink, Func<string, string> intern, CancellationToken cancellationToken)
    {
        var files = new List<(string, List<(string, List<(BlobId, long, int)>)>)>();
        await foreach (var info in store.ListAsync(RepositoryLayout.IndexPrefix, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var bytes = await ReadAllBytesAsync(store, info.Key, cancellationToken).ConfigureAwait(false);
                files.Add((info.Key, Parse(SealedObject.Open(codec, bytes), intern)));
            }
            catch (Exception e) when (e is BlobDamagedException or FormatException || e is KbException { ErrorId: ErrorIds.ObjectNotFound })
            {
                // The index only saves uploads; a damaged one means blobs are uploaded again, never that data is lost.
                sink.Warning($"Index file '{info.Key}' cannot be read and is ignored: {e.Message}");
            }
        }
        return files;
    }

    private static List<(string, List<(BlobId, long, int)>)> Parse(byte[] json, Func<string, string> intern)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var packs = new List<(string, List<(BlobId, long, int)>)>();
            foreach (var pack in document.RootElement.GetProperty("packs").EnumerateArray())
            {
                var packId = intern(pack.GetProperty("id").GetString()!);
                var blobs = new List<(BlobId, long, int)>();
                foreach (var b in pack.GetProperty("blobs").EnumerateArray())
                {
                    var blob = ManifestFormat.ParseRef(b[0].GetString(), packId, b[1].GetInt64(), b[2].GetInt32(), intern);
                    blobs.Add((blob.Id, blob.Offset, blob.Length));
                }
                packs.Add((packId, blobs));
            }
            return packs;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new FormatException($"not an index file: {e.Message}", e);
        }
    }

    /// <summary>The ids of every pack in the store.</summary>
    public static async Task<Dictionary<string, ObjectInfo>> ListPacksAsync(IObjectStore store, Func<string, string> intern, CancellationToken cancellationToken)
    {
        var packs = new Dictionary<string, ObjectInfo>(StringComparer.Ordinal);
        await foreach (var info in store.ListAsync(RepositoryLayout.PacksPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (RepositoryLayout.PackIdOf(info.Key) is { } id)
            {
                packs[intern(id)] = info;
            }
        }
        return packs;
    }

    /// <summary>The blobs the repository holds in packs that exist.</summary>
    public static async Task<Dictionary<BlobId, BlobRef>> LoadAsync(IObjectStore store, BlobCodec codec, IOperationSink sink, Func<string, string> intern, CancellationToken cancellationToken)
    {
        var existing = await ListPacksAsync(store, intern, cancellationToken).ConfigureAwait(false);
        var known = new Dictionary<BlobId, BlobRef>();
        foreach (var (_, packs) in await ReadAllAsync(store, codec, sink, intern, cancellationToken).ConfigureAwait(false))
        {
            foreach (var (packId, blobs) in packs)
            {
                if (existing.ContainsKey(packId))
                {
                    foreach (var (id, offset, length) in blobs)
                    {
                        known.TryAdd(id, new BlobRef(id, packId, offset, length));
                    }
                }
            }
        }
        return known;
    }

    internal static async Task<byte[]> ReadAllBytesAsync(IObjectStore store, string key, CancellationToken cancellationToken)
    {
        var stream = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var memory = new MemoryStream();
            await stream.CopyToAsync(memory, cancellationToken).ConfigureAwait(false);
            return memory.ToArray();
        }
    }
}
