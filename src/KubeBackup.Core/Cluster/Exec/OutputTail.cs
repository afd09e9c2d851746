using System.Text;

namespace KubeBackup.Core.Cluster.Exec;

/// <summary>Keeps the last bytes written to it, up to a capacity; older bytes are dropped.</summary>
internal sealed class OutputTail(int capacity)
{
    private readonly byte[] ring = new byte[capacity];
    private long written;

    public bool Truncated => written > capacity;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.Length >= capacity)
        {
            data[^capacity..].CopyTo(ring);
            written += data.Length;

            // The ring now starts at index 0 again: make the total a multiple of the capacity.
            written += (capacity - written % capacity) % capacity;
            return;
        }

        var start = (int)(written % capacity);
        var first = Math.Min(data.Length, capacity - start);
        data[..first].CopyTo(ring.AsSpan(start));
        data[first..].CopyTo(ring);
        written += data.Length;
    }

    public override string ToString()
    {
        if (!Truncated)
        {
            return Encoding.UTF8.GetString(ring, 0, (int)written);
        }

        var start = (int)(written % capacity);
        var ordered = new byte[capacity];
        ring.AsSpan(start).CopyTo(ordered);
        ring.AsSpan(0, start).CopyTo(ordered.AsSpan(capacity - start));
        return Encoding.UTF8.GetString(ordered);
    }
}
