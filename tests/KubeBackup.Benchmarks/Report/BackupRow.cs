namespace KubeBackup.Benchmarks.Report;

/// <summary>
/// One way of taking a cluster's objects in one cluster size: the floor, kubectl, KubeBackup (Core API, module,
/// incremental). Bytes are what that method read (floor), wrote (kubectl) or added to the repository (KubeBackup).
/// TimeToFloor is this method's seconds over the floor's in the same run, the median over runs.
/// </summary>
public sealed record BackupRow(int ClusterSize, string Method, string Encryption, long Objects, Stat Seconds, Stat ObjectsPerSecond,
    long Bytes, Stat? TimeToFloor);

/// <summary>A performance budget of issue 5 against what this run measured.</summary>
public sealed record BudgetCheck(string Budget, string Target, string Measured, double Value, bool Met);
