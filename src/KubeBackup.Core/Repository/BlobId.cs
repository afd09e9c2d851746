using System.Buffers.Binary;

namespace KubeBackup.Core.Repository;

/// <summary>
/// The 32-byte name of a blob: SHA-256 of its plaintext, or HMAC-SHA256 under the repository's id key when the
/// repository is encrypted (so equal ids reveal nothing to someone without the key). Held as four words so
/// millions of them fit in the dedup index cheaply.
/// </summary>
public readonly struct BlobId : IEquatable<BlobId>
{
    public const int Size = 32;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    public BlobId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A blob id is {Size} bytes.", nameof(bytes));
        }
        _a = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
    }

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>Parses 64 hex digits; false for anything else.</summary>
    public static bool TryParse(string? hex, out BlobId id)
    {
        id = default;
        if (hex is null || hex.Length != Size * 2)
        {
            return false;
        }
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        id = new BlobId(Convert.FromHexString(hex));
        return true;
    }

    public override string ToString() => new(Format(stackalloc char[Size * 2]));

    /// <summary>The 64 lower-case hex digits, written into <paramref name="destination"/> without allocating.</summary>
    internal ReadOnlySpan<char> Format(Span<char> destination)
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        for (var i = 0; i < Size; i++)
        {
            destination[2 * i] = "0123456789abcdef"[bytes[i] >> 4];
            destination[(2 * i) + 1] = "0123456789abcdef"[bytes[i] & 0xF];
        }
        return destination[..(Size * 2)];
    }

    public bool Equals(BlobId other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    public override bool Equals(object? obj) => obj is BlobId other && Equals(other);

    // The id is a cryptographic hash already: any word is uniformly spread.
    public override int GetHashCode() => (int)_a;

    public static bool operator ==(BlobId left, BlobId right) => left.Equals(right);

    public static bool operator !=(BlobId left, BlobId right) => !left.Equals(right);
}
