using System.Buffers.Binary;

namespace KubeBackup.Core.Repository;

/// <summary>Reads a whole pack's header back (verify and recovery); blob reads go straight to their range.</summary>
internal static class PackReader
{
    /// <summary>The blobs a pack says it holds, or <see cref="BlobDamagedException"/> if its trailer or header is damaged.</summary>
    public static IReadOnlyList<(BlobId Id, long Offset, int Length)> ReadHeader(BlobCodec codec, ReadOnlySpan<byte> pack)
    {
        if (pack.Length < PackWriter.TrailerSize || !pack[^8..].SequenceEqual(PackWriter.Magic))
        {
            throw new BlobDamagedException("the pack has no valid trailer (truncated or not a pack)");
        }
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(pack[^PackWriter.TrailerSize..]);
        if (headerLength > pack.Length - PackWriter.TrailerSize)
        {
            throw new BlobDamagedException("the pack's header length is larger than the pack");
        }
        var headerStart = pack.Length - PackWriter.TrailerSize - (int)headerLength;
        var header = SealedObject.Open(codec, pack.Slice(headerStart, (int)headerLength));
        if (header.Length < 4)
        {
            throw new BlobDamagedException("the pack header is too short");
        }
        var count = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (header.Length != 4 + (long)count * PackWriter.HeaderEntrySize)
        {
            throw new BlobDamagedException("the pack header's size does not match its blob count");
        }
        var blobs = new List<(BlobId, long, int)>((int)count);
        long offset = 0;
        for (var i = 0; i < count; i++)
        {
            var entry = header.AsSpan(4 + i * PackWriter.HeaderEntrySize);
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(entry[BlobId.Size..]);
            blobs.Add((new BlobId(entry[..BlobId.Size]), offset, length));
            offset += length;
        }
        if (offset != headerStart)
        {
            throw new BlobDamagedException("the pack header does not account for the pack's data");
        }
        return blobs;
    }
}
