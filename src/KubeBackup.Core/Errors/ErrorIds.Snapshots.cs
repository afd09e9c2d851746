namespace KubeBackup.Core.Errors;

public static partial class ErrorIds
{
    /// <summary>The cluster does not serve snapshot.storage.k8s.io/v1 (the CSI snapshot CRDs are not installed).</summary>
    public const string SnapshotApiMissing = nameof(SnapshotApiMissing);

    /// <summary>No VolumeSnapshotClass fits a claim: none for its driver, none marked default, or the named one is missing or for another driver.</summary>
    public const string SnapshotClassNotFound = nameof(SnapshotClassNotFound);

    /// <summary>A snapshot name (after formatting) is not a valid object name, or the name format is malformed.</summary>
    public const string SnapshotNameInvalid = nameof(SnapshotNameInvalid);

    /// <summary>A retention names no rule, a zero or negative age, or a count below 1.</summary>
    public const string SnapshotRetentionInvalid = nameof(SnapshotRetentionInvalid);

    /// <summary>The snapshot controller reported an error for a snapshot (status.error).</summary>
    public const string SnapshotFailed = nameof(SnapshotFailed);

    /// <summary>A snapshot did not become ready to use within the timeout.</summary>
    public const string SnapshotTimedOut = nameof(SnapshotTimedOut);

    public const string SnapshotNotFound = nameof(SnapshotNotFound);

    /// <summary>The API server refused to delete a VolumeSnapshot (or to release the content a backup retained).</summary>
    public const string SnapshotDeleteFailed = nameof(SnapshotDeleteFailed);

    /// <summary>A claim to snapshot does not exist, or is not bound to a volume yet.</summary>
    public const string ClaimNotSnapshottable = nameof(ClaimNotSnapshottable);
}
