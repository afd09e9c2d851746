namespace KubeBackup.Benchmarks.Report;

/// <summary>Everything one invocation measured: what it ran on, how it was called, and each scenario's rows.</summary>
public sealed record BenchmarkReport(MachineInfo Machine, string CommandLine, int Runs, IReadOnlyList<ScenarioResult> Scenarios);

/// <summary>
/// One scenario: its rows (throughput rows, or backup rows with budget checks), the process's peak working set while it
/// ran, and anything skipped (with the reason). BudgetSource names where the budgets come from.
/// </summary>
public sealed record ScenarioResult(string Name, string Title, string Description, IReadOnlyList<ThroughputRow> Rows,
    long PeakWorkingSetBytes, double WallClockSeconds, IReadOnlyList<string> Notes, IReadOnlyList<string> Skipped,
    IReadOnlyList<BackupRow>? BackupRows = null, IReadOnlyList<BudgetCheck>? Budgets = null, string BudgetSource = "issue 5");

/// <summary>
/// One operation in one configuration. Seconds, MB/s and items/s are over the runs; the floor is plain files written
/// or read in the same run, and the ratio is KubeBackup's MB/s over the floor's, per run, then the median of those.
/// </summary>
public sealed record ThroughputRow(string Store, string Encryption, string Operation, long LogicalBytes, long Items,
    Stat Seconds, Stat MegabytesPerSecond, Stat ItemsPerSecond, long? StoredBytes, Stat? FloorMegabytesPerSecond, Stat? RatioToFloor);
