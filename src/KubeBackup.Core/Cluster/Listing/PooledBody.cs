using System.Buffers;

namespace KubeBackup.Core.Cluster.Listing;

/// <summary>
/// A response body read into a pooled buffer. List pages are megabytes each: a new array per page would be
/// large-object-heap garbage that only full collections free, and it set a large backup's peak memory.
/// </summary>
internal sealed class PooledBody : IDisposable
{
    // A few pages are in flight at once (one per concurrent list); pages above 64 MB are not pooled.
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(64 * 1024 * 1024, 8);

    private byte[]? _buffer;

    private PooledBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => (_buffer ?? throw new ObjectDisposedException(nameof(PooledBody))).AsSpan(0, Length);

    internal static async Task<PooledBody> ReadAsync(Stream body, long? contentLength, CancellationToken cancellationToken)
    {
        var buffer = Pool.Rent(contentLength is > 0 and < int.MaxValue ? (int)contentLength + 1 : 64 * 1024);
        var length = 0;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
                if (length == buffer.Length)
                {
                    var larger = Pool.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    Pool.Return(buffer);
                    buffer = larger;
                }
            }
            return new PooledBody(buffer, length);
        }
        catch
        {
            Pool.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            Pool.Return(buffer);
        }
    }
}
