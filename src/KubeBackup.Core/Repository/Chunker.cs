using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace KubeBackup.Core.Repository;

/// <summary>
/// FastCDC content-defined chunking with a gear rolling hash and normalized chunking (level 2): a cut is made where
/// the hash's top bits are zero, with a stricter mask before the average size and a looser one after, never before
/// the minimum and always at the maximum. Boundaries follow the content, so an insertion in a stream changes only the
/// chunks around it. The gear table comes from a seed: zeros for unencrypted repositories, a subkey of the master key
/// for encrypted ones so chunk sizes do not fingerprint known content.
/// </summary>
internal sealed class Chunker
{
    private readonly ulong[] _gear = new ulong[256];
    private readonly ulong _maskSmall;
    private readonly ulong _maskLarge;

    public Chunker(ChunkerParameters parameters, ReadOnlySpan<byte> seed)
    {
        Parameters = parameters;
        Span<byte> input = stackalloc byte[seed.Length + 1];
        seed.CopyTo(input);
        Span<byte> hash = stackalloc byte[32];
        for (var i = 0; i < 256; i++)
        {
            input[^1] = (byte)i;
            SHA256.HashData(input, hash);
            _gear[i] = BinaryPrimitives.ReadUInt64LittleEndian(hash);
        }
        var bits = int.Log2(parameters.AverageSize);
        _maskSmall = TopBits(bits + 2);
        _maskLarge = TopBits(bits - 2);
    }

    public ChunkerParameters Parameters { get; }

    private static ulong TopBits(int count) => count <= 0 ? 0 : ulong.MaxValue << (64 - count);

    /// <summary>Length of the first chunk of <paramref name="data"/>, which holds a maximum-size chunk or all that is left.</summary>
    public int FindCut(ReadOnlySpan<byte> data)
    {
        var p = Parameters;
        if (data.Length <= p.MinSize)
        {
            return data.Length;
        }
        var end = Math.Min(data.Length, p.MaxSize);
        var normal = Math.Min(end, p.AverageSize);
        ulong hash = 0;
        var i = p.MinSize;
        for (; i < normal; i++)
        {
            hash = (hash << 1) + _gear[data[i]];
            if ((hash & _maskSmall) == 0)
            {
                return i + 1;
            }
        }
        for (; i < end; i++)
        {
            hash = (hash << 1) + _gear[data[i]];
            if ((hash & _maskLarge) == 0)
            {
                return i + 1;
            }
        }
        return end;
    }

    /// <summary>Chunk boundaries of data already in memory (an item larger than the maximum chunk).</summary>
    public IEnumerable<(int Offset, int Length)> Split(ReadOnlyMemory<byte> data)
    {
        var offset = 0;
        while (offset < data.Length)
        {
            var length = FindCut(data.Span[offset..]);
            yield return (offset, length);
            offset += length;
        }
    }

    /// <summary>
    /// Reads <paramref name="stream"/> to its end and yields its chunks. Memory is one buffer of the maximum chunk size;
    /// each yielded chunk is valid until the next is asked for.
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ChunksAsync(Stream stream, byte[] buffer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (buffer.Length < Parameters.MaxSize)
        {
            throw new ArgumentException("The buffer must hold a maximum-size chunk.", nameof(buffer));
        }
        var length = 0;
        var ended = false;
        while (true)
        {
            while (!ended && length < Parameters.MaxSize)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(length, Parameters.MaxSize - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    ended = true;
                }
                length += read;
            }
            if (length == 0)
            {
                yield break;
            }
            var cut = FindCut(buffer.AsSpan(0, length));
            yield return buffer.AsMemory(0, cut);
            Buffer.BlockCopy(buffer, cut, buffer, 0, length - cut);
            length -= cut;
        }
    }
}
