namespace KubeBackup.Core.Repository;

/// <summary>Streams an entry's blobs in order, holding one decoded chunk at a time.</summary>
internal sealed class ChunkedReadStream(BackupRepository repository, ManifestEntry entry, string what) : Stream
{
    private int _next;
    private byte[] _current = [];
    private int _position;
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => entry.Size;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_position == _current.Length)
        {
            if (_next == entry.Blobs.Count || buffer.Length == 0)
            {
                return 0;
            }
            _current = await BlobFetcher.ReadAsync(repository, entry.Blobs[_next++], what, cancellationToken).ConfigureAwait(false);
            _position = 0;
        }
        var count = Math.Min(buffer.Length, _current.Length - _position);
        _current.AsMemory(_position, count).CopyTo(buffer);
        _position += count;
        _read += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
