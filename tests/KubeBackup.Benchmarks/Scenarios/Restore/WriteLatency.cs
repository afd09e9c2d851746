using System.Globalization;

namespace KubeBackup.Benchmarks.Scenarios.Restore;

/// <summary>
/// A per-write latency for the emulator that models the etcd commit a real API server waits for before it answers a
/// write. The emulator answers a create in a fraction of a millisecond, so a client that creates one object at a time
/// (kubectl) loses little against a concurrent one there; on a real cluster every write waits for etcd to commit it (a
/// WAL fsync to disk, and on a multi-member etcd a Raft round trip), which a sequential client pays once per object and
/// a concurrent one once per batch in flight.
/// </summary>
public static class WriteLatency
{
    /// <summary>
    /// 5 ms per write. etcd's FAQ asks for a WAL fsync p99 under 10 ms (the metric
    /// <c>etcd_disk_wal_fsync_duration_seconds</c>) and a backend commit p99 under 25 ms
    /// (https://etcd.io/docs/v3.5/faq/, "What does the etcd warning 'failed to send out heartbeat on time' mean?" and
    /// "... 'apply entries took too long' ..."). 5 ms is half that fsync ceiling: a healthy SSD-backed etcd, not a slow
    /// one. Kubernetes' own SLO for a mutating API call is far looser (p99 ≤ 1 s per resource and verb,
    /// https://github.com/kubernetes/community/blob/master/sig-scalability/slos/api_call_latency.md).
    /// </summary>
    public const int Milliseconds = 5;

    /// <summary>
    /// The emulator's arguments: the delay on every create, update and patch of any resource (the writes the floor,
    /// kubectl create and a restore send; a restore patches only with -RestoreStatus or an Update policy). The delay is
    /// an await (Task.Delay) before the request is served: requests in flight wait side by side, as on etcd, where
    /// concurrent proposals share a commit.
    /// </summary>
    public static IReadOnlyList<string> EmulatorArguments { get; } =
        [.. new[] { "create", "update", "patch" }.SelectMany(verb => new[] { "--fault", string.Create(CultureInfo.InvariantCulture, $"delay={Milliseconds}:{verb}:*") })];
}
