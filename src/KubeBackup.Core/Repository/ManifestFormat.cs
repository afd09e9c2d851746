using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace KubeBackup.Core.Repository;

/// <summary>
/// The manifest of a backup is a tree of two levels. Its entries, sorted by namespace, group, resource, name and
/// version, are cut into chunks at content-defined points (after an entry whose key hash ends in three one-bits, on
/// average every 8 entries), and each chunk is a blob in a pack like any content. <c>backups/&lt;name&gt;/manifest</c> is a
/// sealed header listing those chunk blobs and every pack the backup uses. A backup that changes 1% of a cluster
/// therefore rewrites only the chunks around the changed entries, not a list of every item.
/// </summary>
internal static class ManifestFormat
{
    public const int MaxEntriesPerChunk = 64;
    public const int BoundaryMask = 0x07;
    public const int MaxChunkBytes = 1024 * 1024;

    /// <summary>Entries cut into the JSON plaintexts of manifest chunks.</summary>
    public static IEnumerable<(byte[] Json, int Count)> Chunk(IReadOnlyList<ManifestEntry> sortedEntries)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new Utf8JsonWriter(buffer);
        var count = 0;
        var hash = new byte[32];
        foreach (var entry in sortedEntries)
        {
            if (count == 0)
            {
                writer.WriteStartObject();
                writer.WriteStartArray("entries");
            }
            WriteEntry(writer, entry);
            count++;
            writer.Flush();
            SHA256.HashData(Encoding.UTF8.GetBytes(entry.Key.SortKey), hash);
            if ((hash[0] & BoundaryMask) == BoundaryMask || count >= MaxEntriesPerChunk || buffer.WrittenCount >= MaxChunkBytes)
            {
                yield return (Finish(writer, buffer), count);
                writer.Reset();
                count = 0;
            }
        }
        if (count > 0)
        {
            yield return (Finish(writer, buffer), count);
        }
    }

    private static byte[] Finish(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        var json = buffer.WrittenSpan.ToArray();
        buffer.Clear();
        return json;
    }

    private static void WriteEntry(Utf8JsonWriter writer, ManifestEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteString("group", entry.Key.Group);
        writer.WriteString("version", entry.Key.Version);
        writer.WriteString("resource", entry.Key.Resource);
        if (entry.Key.Namespace is not null)
        {
            writer.WriteString("namespace", entry.Key.Namespace);
        }
        writer.WriteString("name", entry.Key.Name);
        writer.WriteString("kind", entry.Kind == ManifestEntryKind.Item ? "item" : "stream");
        writer.WriteNumber("size", entry.Size);
        writer.WriteStartArray("blobs");
        Span<char> hex = stackalloc char[BlobId.Size * 2];
        foreach (var blob in entry.Blobs)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(blob.Id.Format(hex));
            writer.WriteStringValue(blob.PackId);
            writer.WriteNumberValue(blob.Offset);
            writer.WriteNumberValue(blob.Length);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The entries of one chunk; <see cref="FormatException"/> when the JSON is not a manifest chunk.</summary>
    public static List<ManifestEntry> ParseChunk(byte[] json, Func<string, string> intern)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var entries = new List<ManifestEntry>();
            foreach (var e in document.RootElement.GetProperty("entries").EnumerateArray())
            {
                var key = new ItemKey(
                    intern(e.GetProperty("group").GetString()!),
                    intern(e.GetProperty("version").GetString()!),
                    intern(e.GetProperty("resource").GetString()!),
                    e.TryGetProperty("namespace", out var ns) ? intern(ns.GetString()!) : null,
                    e.GetProperty("name").GetString()!);
                var kind = e.GetProperty("kind").GetString() switch
                {
                    "item" => ManifestEntryKind.Item,
                    "stream" => ManifestEntryKind.Stream,
                    var other => throw new FormatException($"entry kind '{other}' is not known"),
                };
                var blobs = new List<BlobRef>();
                foreach (var b in e.GetProperty("blobs").EnumerateArray())
                {
                    blobs.Add(ParseRef(b[0].GetString(), b[1].GetString(), b[2].GetInt64(), b[3].GetInt32(), intern));
                }
                entries.Add(new ManifestEntry(key, kind, e.GetProperty("size").GetInt64(), blobs));
            }
            return entries;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            throw new FormatException($"not a manifest chunk: {e.Message}", e);
        }
    }

    internal static BlobRef ParseRef(string? id, string? pack, long offset, int length, Func<string, string> intern)
    {
        if (!BlobId.TryParse(id, out var blobId) || pack is null || !RepositoryLayout.IsHexId(pack) || offset < 0 || length <= 0)
        {
            throw new FormatException($"blob reference {id} in {pack} at {offset}+{length} is not valid");
        }
        return new BlobRef(blobId, intern(pack), offset, length);
    }
}

/// <summary>The sealed header stored as <c>backups/&lt;name&gt;/manifest</c>.</summary>
internal sealed record ManifestHeader(
    int FormatVersion,
    string Backup,
    string? Parent,
    DateTimeOffset CreatedAt,
    long EntryCount,
    long LogicalBytes,
    IReadOnlyList<string> Packs,
    IReadOnlyList<(BlobRef Chunk, int Entries)> Chunks)
{
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("formatVersion", FormatVersion);
            w.WriteString("backup", Backup);
            if (Parent is null)
            {
                w.WriteNull("parent");
            }
            else
            {
                w.WriteString("parent", Parent);
            }
            w.WriteString("createdAt", CreatedAt.ToString("O"));
            w.WriteNumber("entryCount", EntryCount);
            w.WriteNumber("logicalBytes", LogicalBytes);
            w.WriteStartArray("packs");
            foreach (var pack in Packs)
            {
                w.WriteStringValue(pack);
            }
            w.WriteEndArray();
            w.WriteStartArray("chunks");
            foreach (var (chunk, entries) in Chunks)
            {
                w.WriteStartArray();
                w.WriteStringValue(chunk.Id.ToString());
                w.WriteStringValue(chunk.PackId);
                w.WriteNumberValue(chunk.Offset);
                w.WriteNumberValue(chunk.Length);
                w.WriteNumberValue(entries);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static ManifestHeader Parse(byte[] json, Func<string, string> intern)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var packs = root.GetProperty("packs").EnumerateArray().Select(p => intern(p.GetString()!)).ToList();
            if (packs.Any(p => !RepositoryLayout.IsHexId(p)))
            {
                throw new FormatException("a pack id is not valid");
            }
            var chunks = root.GetProperty("chunks").EnumerateArray()
                .Select(c => (ManifestFormat.ParseRef(c[0].GetString(), c[1].GetString(), c[2].GetInt64(), c[3].GetInt32(), intern), c[4].GetInt32()))
                .ToList();
            var parent = root.GetProperty("parent");
            return new ManifestHeader(root.GetProperty("formatVersion").GetInt32(), root.GetProperty("backup").GetString()!,
                parent.ValueKind == JsonValueKind.Null ? null : parent.GetString(),
                DateTimeOffset.Parse(root.GetProperty("createdAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                root.GetProperty("entryCount").GetInt64(), root.GetProperty("logicalBytes").GetInt64(), packs, chunks);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException or FormatException)
        {
            throw new FormatException($"not a manifest header: {e.Message}", e);
        }
    }
}
