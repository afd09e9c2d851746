using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeApiEmulator.Storage;

/// <summary>
/// All objects of one cluster, by storage key ("group/plural") in sorted immutable sets, with one global
/// resourceVersion counter. Writes are serialized by one lock; reads take the current set without locking,
/// which is also the consistent snapshot paged lists continue from.
/// </summary>
public sealed class ClusterStore
{
    private const int HistoryLimit = 20_000;

    private readonly object _gate = new();
    private readonly Dictionary<string, ImmutableSortedSet<StoredObject>> _buckets = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Key, long Revision), (ImmutableSortedSet<StoredObject> Set, DateTimeOffset Taken)> _snapshots = new();
    private readonly Queue<(long Revision, WatchEvent Event)> _history = new();
    private readonly List<Action<WatchEvent>> _listeners = [];
    private readonly TimeProvider _time;
    private long _revision;

    public ClusterStore(TimeProvider? time = null, TimeSpan? compactionWindow = null)
    {
        _time = time ?? TimeProvider.System;
        CompactionWindow = compactionWindow ?? TimeSpan.FromMinutes(5);
        _revision = 1;
    }

    /// <summary>How long a paged list's snapshot stays usable for continue tokens.</summary>
    public TimeSpan CompactionWindow { get; set; }

    public long CurrentRevision => Interlocked.Read(ref _revision);

    /// <summary>The current objects of a storage key with the revision they are consistent at.</summary>
    public (ImmutableSortedSet<StoredObject> Set, long Revision) Snapshot(string key)
    {
        lock (_gate)
            return (BucketOf(key), _revision);
    }

    public StoredObject? Get(string key, string ns, string name)
    {
        ImmutableSortedSet<StoredObject> set;
        lock (_gate)
            set = BucketOf(key);
        return set.TryGetValue(StoredObject.Probe(ns, name), out var found) ? found : null;
    }

    /// <summary>
    /// Stores the object under a new resourceVersion (written into its metadata).
    /// expectedRevision, when given, must equal the stored one (optimistic concurrency).
    /// </summary>
    public StoredObject Write(string key, JsonObject obj, WriteMode mode, long? expectedRevision = null)
    {
        var meta = obj["metadata"] as JsonObject ?? throw new ArgumentException("object has no metadata");
        var name = (string?)meta["name"] ?? throw new ArgumentException("object has no name");
        var ns = (string?)meta["namespace"] ?? "";
        lock (_gate)
        {
            var set = BucketOf(key);
            var existing = set.TryGetValue(StoredObject.Probe(ns, name), out var found) ? found : null;
            if (mode == WriteMode.Create && existing is not null)
                throw new StoreException(StoreError.AlreadyExists, name);
            if (mode == WriteMode.Update && existing is null)
                throw new StoreException(StoreError.NotFound, name);
            if (expectedRevision is { } rv && (existing is null || existing.ResourceVersion != rv))
                throw new StoreException(existing is null ? StoreError.NotFound : StoreError.Conflict, name);

            var revision = _revision + 1;
            meta["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var stored = Freeze(obj, ns, name, revision);
            _revision = revision;
            _buckets[key] = existing is null ? set.Add(stored) : set.Remove(existing).Add(stored);
            Publish(new WatchEvent(existing is null ? WatchEventType.Added : WatchEventType.Modified, key, stored, existing));
            return stored;
        }
    }

    /// <summary>Removes an object; the returned copy carries the deletion's resourceVersion.</summary>
    public StoredObject Delete(string key, string ns, string name, long? expectedRevision = null)
    {
        lock (_gate)
        {
            var set = BucketOf(key);
            if (!set.TryGetValue(StoredObject.Probe(ns, name), out var existing))
                throw new StoreException(StoreError.NotFound, name);
            if (expectedRevision is { } rv && existing.ResourceVersion != rv)
                throw new StoreException(StoreError.Conflict, name);
            var revision = ++_revision;
            _buckets[key] = set.Remove(existing);
            var node = existing.ToNode();
            ((JsonObject)node["metadata"]!)["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var gone = Freeze(node, ns, name, revision);
            Publish(new WatchEvent(WatchEventType.Deleted, key, gone, existing));
            return existing;
        }
    }

    /// <summary>Remembers a list snapshot so continue tokens can page over it.</summary>
    public void RememberSnapshot(string key, long revision, ImmutableSortedSet<StoredObject> set)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            foreach (var stale in _snapshots.Where(s => now - s.Value.Taken > CompactionWindow).Select(s => s.Key).ToList())
                _snapshots.Remove(stale);
            _snapshots[(key, revision)] = (set, now);
        }
    }

    /// <summary>A remembered snapshot, or null when it is older than the compaction window (410 Gone).</summary>
    public ImmutableSortedSet<StoredObject>? RecallSnapshot(string key, long revision)
    {
        lock (_gate)
        {
            if (!_snapshots.TryGetValue((key, revision), out var s))
                return null;
            if (_time.GetUtcNow() - s.Taken > CompactionWindow)
            {
                _snapshots.Remove((key, revision));
                return null;
            }
            return s.Set;
        }
    }

    /// <summary>
    /// Subscribes to changes. The callback runs under the store lock in revision order: it must only enqueue.
    /// With fromRevision, earlier events still in history are replayed first; returns false when they are compacted away.
    /// </summary>
    public bool Subscribe(Action<WatchEvent> listener, long? fromRevision, out IDisposable subscription)
    {
        lock (_gate)
        {
            if (fromRevision is { } from && from < _revision)
            {
                if (_history.Count == 0 || _history.Peek().Revision > from + 1)
                {
                    subscription = NoSubscription.Instance;
                    return false;
                }
                foreach (var (rev, e) in _history)
                    if (rev > from)
                        listener(e);
            }
            _listeners.Add(listener);
            subscription = new Subscription(this, listener);
            return true;
        }
    }

    private void Unsubscribe(Action<WatchEvent> listener)
    {
        lock (_gate)
            _listeners.Remove(listener);
    }

    private void Publish(WatchEvent e)
    {
        _history.Enqueue((e.Object.ResourceVersion, e));
        while (_history.Count > HistoryLimit)
            _history.Dequeue();
        foreach (var listener in _listeners)
            listener(e);
    }

    private ImmutableSortedSet<StoredObject> BucketOf(string key) =>
        _buckets.TryGetValue(key, out var set) ? set : ImmutableSortedSet.Create<StoredObject>(StoredObjectOrder.Instance);

    private static StoredObject Freeze(JsonObject obj, string ns, string name, long revision)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
            obj.WriteTo(writer);
        var meta = (JsonObject)obj["metadata"]!;
        IReadOnlyDictionary<string, string> labels = StoredObject.EmptyLabels;
        if (meta["labels"] is JsonObject l && l.Count > 0)
            labels = l.ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<string>(out var text) ? text : p.Value?.ToJsonString() ?? "", StringComparer.Ordinal);
        return new StoredObject(ns, name, buffer.WrittenSpan.ToArray(), revision, (string?)meta["uid"] ?? "",
            (string?)obj["apiVersion"] ?? "", labels);
    }

    private sealed class Subscription(ClusterStore store, Action<WatchEvent> listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                store.Unsubscribe(listener);
        }
    }

    private sealed class NoSubscription : IDisposable
    {
        public static readonly NoSubscription Instance = new();

        public void Dispose()
        {
        }
    }
}

public enum WriteMode
{
    Create,
    Update,
    Upsert,
}
