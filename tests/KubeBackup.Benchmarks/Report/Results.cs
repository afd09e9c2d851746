namespace KubeBackup.Benchmarks.Report;

/// <summary>Everything one invocation measured: what it ran on, how it was called, and each scenario's rows.</summary>
public sealed record BenchmarkReport(MachineInfo Machine, string CommandLine, int Runs, IReadOnlyList<ScenarioResult> Scenarios);

/// <summary>
/// One scenario: its rows (throughput rows, or backup rows with budget checks), the process's peak working set while it
/// ran, and anything skipped (with the reason). BudgetSource names where the budgets come from.
/// </summary>
public sealed record ScenarioResult(string Name, string Title, string Description, IReadOnlyList<ThroughputRow> Rows,
    long PeakWorkingSetBytes, double WallClockSeconds, IReadOnlyList<string> Notes, IReadOnlyList<string> Skipped,
    IReadOnlyList<BackupRow>? BackupRows = null, IReadOnlyList<BudgetCheck>? Budgets = null, string BudgetSource = "issue 5",
    IReadOnlyList<MemoryRow>? MemoryRows = null);

/// <summary>
/// The memory of one operation (a backup, a restore) in a child process that does nothing else, one run: its items and
/// seconds, the OS's peak working set, the largest managed heap a 20 ms sampler saw, and the bytes allocated in all.
/// </summary>
public sealed record MemoryRow(string Operation, long Items, double Seconds, long PeakWorkingSetBytes, long PeakManagedBytes,
    long AllocatedBytes, int Gen2Collections);

/// <summary>
/// One operation in one configuration. Seconds, MB/s and items/s are over the runs; the floor is plain files written
/// or read in the same run, and the ratio is KubeBackup's MB/s over the floor's, per run, then the median of those.
/// </summary>
public sealed record ThroughputRow(string Store, string Encryption, string Operation, long LogicalBytes, long Items,
    Stat Seconds, Stat MegabytesPerSecond, Stat ItemsPerSecond, long? StoredBytes, Stat? FloorMegabytesPerSecond, Stat? RatioToFloor);
