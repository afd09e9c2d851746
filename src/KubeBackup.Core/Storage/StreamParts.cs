using System.Buffers;

namespace KubeBackup.Core.Storage;

/// <summary>Reading a stream of unknown length in whole parts, for the multipart and staged-block uploads.</summary>
internal static class StreamParts
{
    /// <summary>Most repository objects are small: they are read into a buffer this size before a whole part is taken.</summary>
    private const int SmallSize = 256 * 1024;

    /// <summary>Fills <paramref name="buffer"/> unless the stream ends first; returns the bytes read.</summary>
    public static async Task<int> FillAsync(Stream source, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await source.ReadAsync(buffer[filled..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return filled;
    }

    /// <summary>
    /// Reads up to <paramref name="partSize"/> bytes into a pooled buffer the caller returns to
    /// <see cref="ArrayPool{T}.Shared"/>; a small object never takes a part-sized buffer.
    /// </summary>
    public static async Task<(byte[] Buffer, int Length)> ReadFirstAsync(Stream source, int partSize, CancellationToken cancellationToken)
    {
        var smallSize = Math.Min(SmallSize, partSize);
        var small = ArrayPool<byte>.Shared.Rent(smallSize);
        byte[]? large = null;
        try
        {
            var length = await FillAsync(source, small.AsMemory(0, smallSize), cancellationToken).ConfigureAwait(false);
            if (length < smallSize || smallSize == partSize)
            {
                var result = small;
                small = null;
                return (result, length);
            }
            large = ArrayPool<byte>.Shared.Rent(partSize);
            small.AsSpan(0, length).CopyTo(large);
            length += await FillAsync(source, large.AsMemory(length, partSize - length), cancellationToken).ConfigureAwait(false);
            var full = large;
            large = null;
            return (full, length);
        }
        finally
        {
            if (small is not null)
            {
                ArrayPool<byte>.Shared.Return(small);
            }
            if (large is not null)
            {
                ArrayPool<byte>.Shared.Return(large);
            }
        }
    }
}
