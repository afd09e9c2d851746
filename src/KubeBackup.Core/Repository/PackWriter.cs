using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace KubeBackup.Core.Repository;

/// <summary>
/// Builds one pack in memory: stored blobs back to back from offset 0, then the sealed header (id and stored length
/// of every blob, in order), then a 12-byte trailer: the header's length (uint32 LE) and the magic "KBPACK01". The
/// pack's id is the SHA-256 of all its bytes. Packs are self-describing, so an index can be rebuilt from them.
/// </summary>
internal sealed class PackWriter
{
    public static readonly byte[] Magic = Encoding.ASCII.GetBytes("KBPACK01");
    public const int TrailerSize = 4 + 8;
    public const int HeaderEntrySize = BlobId.Size + 4;

    private readonly MemoryStream _data;
    private readonly List<(BlobId Id, int Length)> _blobs = [];

    /// <summary>A pack built in <paramref name="buffer"/>, which must hold the largest pack the writer seals.</summary>
    public PackWriter(byte[] buffer)
    {
        _data = new MemoryStream(buffer, 0, buffer.Length, writable: true, publiclyVisible: true);
        _data.SetLength(0);
    }

    public long Length => _data.Length;

    public int Count => _blobs.Count;

    /// <summary>Appends a stored blob and returns its offset in the pack.</summary>
    public long Add(BlobId id, ReadOnlySpan<byte> stored)
    {
        var offset = _data.Length;
        _data.Write(stored);
        _blobs.Add((id, stored.Length));
        return offset;
    }

    /// <summary>Writes header and trailer and returns the finished pack with its id and the blobs' locations.</summary>
    public SealedPack Seal(BlobCodec codec)
    {
        var header = new byte[4 + _blobs.Count * HeaderEntrySize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)_blobs.Count);
        var locations = new List<(BlobId, long, int)>(_blobs.Count);
        long offset = 0;
        for (var i = 0; i < _blobs.Count; i++)
        {
            var entry = header.AsSpan(4 + i * HeaderEntrySize);
            _blobs[i].Id.CopyTo(entry);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[BlobId.Size..], (uint)_blobs[i].Length);
            locations.Add((_blobs[i].Id, offset, _blobs[i].Length));
            offset += _blobs[i].Length;
        }
        var sealedHeader = SealedObject.Seal(codec, header, out _);
        _data.Write(sealedHeader);
        Span<byte> trailer = stackalloc byte[TrailerSize];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, (uint)sealedHeader.Length);
        Magic.CopyTo(trailer[4..]);
        _data.Write(trailer);
        var buffer = _data.GetBuffer();
        var length = (int)_data.Length;
        var id = Hex.Lower(SHA256.HashData(buffer.AsSpan(0, length)));
        return new SealedPack(id, buffer, length, locations);
    }
}

internal sealed record SealedPack(string Id, byte[] Buffer, int Length, IReadOnlyList<(BlobId Id, long Offset, int Length)> Blobs)
{
    public Stream OpenRead() => new MemoryStream(Buffer, 0, Length, writable: false);
}
