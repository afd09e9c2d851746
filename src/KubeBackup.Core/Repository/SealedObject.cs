namespace KubeBackup.Core.Repository;

/// <summary>
/// A standalone object encoded like a blob: its 32-byte id followed by the stored blob bytes. Used for manifest
/// headers, index files, logs and pack headers, so they are compressed, encrypted and checked exactly like content.
/// </summary>
internal static class SealedObject
{
    public static byte[] Seal(BlobCodec codec, ReadOnlySpan<byte> plaintext, out BlobId id)
    {
        id = codec.ComputeId(plaintext);
        var stored = codec.Encode(id, plaintext);
        var bytes = new byte[BlobId.Size + stored.Length];
        id.CopyTo(bytes);
        stored.CopyTo(bytes.AsSpan(BlobId.Size));
        return bytes;
    }

    /// <summary>The plaintext; <see cref="BlobDamagedException"/> when damaged or (if given) not the expected id.</summary>
    public static byte[] Open(BlobCodec codec, ReadOnlySpan<byte> bytes, BlobId? expected = null)
    {
        if (bytes.Length <= BlobId.Size)
        {
            throw new BlobDamagedException("it is too short");
        }
        var id = new BlobId(bytes[..BlobId.Size]);
        if (expected is { } e && e != id)
        {
            throw new BlobDamagedException($"its id {id} is not the expected {e}");
        }
        return codec.Decode(id, bytes[BlobId.Size..]);
    }
}
