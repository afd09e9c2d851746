using System.Collections.Concurrent;

namespace KubeApiEmulator.Controllers;

/// <summary>
/// Switches and delays of the simulated controllers. Changeable while the server runs; a change makes the
/// controllers look at every object again.
/// </summary>
public sealed class ControllerSettings
{
    private bool _workloads = true;
    private bool _workloadsNeverReady;
    private bool _snapshots = true;
    private bool _snapshotsNeverReady;
    private bool _volumeBinding = true;
    private bool _namespaces = true;
    private bool _garbageCollection = true;
    private TimeSpan _workloadReadyDelay = TimeSpan.FromMilliseconds(20);
    private TimeSpan _snapshotReadyDelay = TimeSpan.FromMilliseconds(20);
    private TimeSpan _namespaceDeletionDelay = TimeSpan.FromSeconds(1);

    internal event Action? Changed;

    /// <summary>Deployment/StatefulSet/ReplicaSet/DaemonSet status follows the spec; pods are scheduled and run.</summary>
    public bool Workloads { get => _workloads; set => Set(ref _workloads, value); }

    /// <summary>Workload status is observed but no replica ever becomes ready or available.</summary>
    public bool WorkloadsNeverReady { get => _workloadsNeverReady; set => Set(ref _workloadsNeverReady, value); }

    /// <summary>"namespace/name" of single workloads that never become ready; a key ending in <c>*</c> is a prefix.</summary>
    public ConcurrentDictionary<string, bool> WorkloadsNeverReadyByName { get; } = new();

    public TimeSpan WorkloadReadyDelay
    {
        get => _workloadReadyDelay;
        set { _workloadReadyDelay = value; Changed?.Invoke(); }
    }

    /// <summary>VolumeSnapshots get a VolumeSnapshotContent and become ready to use.</summary>
    public bool Snapshots { get => _snapshots; set => Set(ref _snapshots, value); }

    /// <summary>Snapshots are bound to content but never become ready to use.</summary>
    public bool SnapshotsNeverReady { get => _snapshotsNeverReady; set => Set(ref _snapshotsNeverReady, value); }

    public TimeSpan SnapshotReadyDelay
    {
        get => _snapshotReadyDelay;
        set { _snapshotReadyDelay = value; Changed?.Invoke(); }
    }

    /// <summary>
    /// "namespace/name" of snapshots that fail, with the status.error.message they report. A key ending in <c>*</c>
    /// matches every snapshot whose "namespace/name" starts with the text before it (names made by cmdlets carry a time).
    /// </summary>
    public ConcurrentDictionary<string, string> SnapshotErrors { get; } = new();

    /// <summary>"namespace/name" of single snapshots that never become ready; a key ending in <c>*</c> is a prefix.</summary>
    public ConcurrentDictionary<string, bool> SnapshotsNeverReadyByName { get; } = new();

    /// <summary>PVCs bind to PVs; StorageClasses with a provisioner provision new PVs.</summary>
    public bool VolumeBinding { get => _volumeBinding; set => Set(ref _volumeBinding, value); }

    /// <summary>Terminating namespaces are emptied and removed.</summary>
    public bool Namespaces { get => _namespaces; set => Set(ref _namespaces, value); }

    /// <summary>
    /// How long a terminating namespace waits before its contents go; a real cluster takes seconds, and
    /// kubectl delete -f deletes a namespace before the objects listed after it.
    /// </summary>
    public TimeSpan NamespaceDeletionDelay
    {
        get => _namespaceDeletionDelay;
        set { _namespaceDeletionDelay = value; Changed?.Invoke(); }
    }

    /// <summary>Dependents (ownerReferences) of deleted owners are deleted.</summary>
    public bool GarbageCollection { get => _garbageCollection; set => Set(ref _garbageCollection, value); }

    /// <summary>Turns every controller off (or on).</summary>
    public void SetAll(bool enabled)
    {
        _workloads = _snapshots = _volumeBinding = _namespaces = _garbageCollection = enabled;
        Changed?.Invoke();
    }

    private void Set(ref bool field, bool value)
    {
        field = value;
        Changed?.Invoke();
    }
}
