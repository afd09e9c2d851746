using KubeBackup.Benchmarks;
using KubeBackup.Benchmarks.Report;
using KubeBackup.Benchmarks.Scenarios;
using KubeBackup.Benchmarks.Scenarios.Backup;

// The backup scenario runs this program again to measure one backup's and one restore's memory on their own (hidden
// from the usage text).
if (args.Length == 3 && args[0] == MemoryProbe.Argument)
{
    return await MemoryProbe.RunBackupChildAsync(args[1], args[2]);
}
if (args.Length == 4 && args[0] == MemoryProbe.RestoreArgument)
{
    return await MemoryProbe.RunRestoreChildAsync(args[1], args[2], args[3]);
}

const string Usage = """
    KubeBackup performance harness.

    Usage: dotnet run -c Release --project tests/KubeBackup.Benchmarks -- [options]

      --scenario NAME   Run one scenario (repeatable). Default: all. Scenarios: repository, backup, restore
      --runs N          Runs per measurement; each figure is the median with min and max (default 3, --quick 1).
      --out DIR         Where report.md and report.json go (default TestResults/benchmarks/ under the repository root).
      --quick           A smoke run: 1 run; 20 MB instead of 100 MB (repository); clusters of 1,000 objects and a
                        memory probe (backup, then restore) at 10,000 instead of 1,000 and 10,000 and 100,000 (backup); a cluster of 1,000
                        instead of 10,000 objects (restore). Not for published figures.
                        The restore scenario also runs a variant with a 5 ms latency on every API write (etcd-like),
                        on a 1,000-object cluster, reported as its own table.
      --update-docs     Regenerate docs/performance.md from the Markdown report (its hand-written header is kept).
      --help            This text.

    S3 rows use s3rver (`npm ci --prefix tests/node`, node on PATH); the kubectl rows of the backup and restore
    scenarios need kubectl on PATH. Without them those rows are skipped with the reason printed, unless the environment
    variable CI is set: then a missing component is a failure. The backup and restore scenarios build the emulator,
    out/KubeBackup and tools/KbShell in Release when they are missing.
    """;

var scenarios = new List<string>();
int? runs = null;
string? outDirectory = null;
var quick = false;
var updateDocs = false;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--scenario": scenarios.Add(Value()); break;
        case "--runs": runs = int.TryParse(Value(), out var n) && n > 0 ? n : throw new ArgumentException("--runs needs a positive number."); break;
        case "--out": outDirectory = Value(); break;
        case "--quick": quick = true; break;
        case "--update-docs": updateDocs = true; break;
        case "--help" or "-h" or "-?": Console.WriteLine(Usage); return 0;
        default: Console.Error.WriteLine($"Unknown argument '{args[i]}'.\n\n{Usage}"); return 2;
    }
}
var known = new[] { RepositoryThroughput.Name, BackupComparison.Name, RestoreComparison.Name };
if (scenarios.FirstOrDefault(s => !known.Contains(s)) is { } unknown)
{
    Console.Error.WriteLine($"Unknown scenario '{unknown}'. Scenarios: {string.Join(", ", known)}.");
    return 2;
}
if (scenarios.Count == 0)
{
    scenarios.AddRange(known);
}

var repoRoot = RepoRoot();
var runCount = runs ?? (quick ? 1 : 3);
var output = Path.GetFullPath(outDirectory ?? Path.Combine(repoRoot, "TestResults", "benchmarks"));
var work = Directory.CreateTempSubdirectory("kb-bench-").FullName;
var commandLine = "dotnet run -c Release --project tests/KubeBackup.Benchmarks --" + string.Concat(args.Select(a => " " + a));
void Log(string line) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");

var results = new List<ScenarioResult>();
try
{
    foreach (var scenario in scenarios)
    {
        Log($"scenario {scenario}");
        // The restore scenario reports two: the standard comparison and its write-latency variant.
        results.AddRange(scenario switch
        {
            RepositoryThroughput.Name => [await new RepositoryThroughput(repoRoot, Path.Combine(work, scenario), runCount, quick ? 20_000_000 : 100_000_000, Log).RunAsync()],
            BackupComparison.Name => [await new BackupComparison(new Components(repoRoot, Log), Path.Combine(work, scenario), runCount,
                quick ? [1_000] : [1_000, 10_000], quick ? 10_000 : 100_000, Log).RunAsync()],
            RestoreComparison.Name => await new RestoreComparison(new Components(repoRoot, Log), Path.Combine(work, scenario), runCount,
                quick ? 1_000 : 10_000, Log).RunAsync(),
            _ => throw new InvalidOperationException(scenario),
        });
    }
}
catch (Exception e) when (e is InvalidOperationException or IOException)
{
    // A missing component in CI, a failed server start: a message and a failing exit code, not a crash dump.
    Console.Error.WriteLine($"Benchmark failed: {e.Message}");
    return 1;
}
finally
{
    Directory.Delete(work, recursive: true);
}

var report = new BenchmarkReport(MachineInfo.Current(), commandLine, runCount, results);
var markdown = MarkdownReport.Render(report);
Directory.CreateDirectory(output);
File.WriteAllText(Path.Combine(output, "report.md"), markdown);
File.WriteAllText(Path.Combine(output, "report.json"), JsonReport.Render(report));
Console.WriteLine();
Console.WriteLine(markdown);
Log($"wrote {Path.Combine(output, "report.md")} and report.json");
if (updateDocs)
{
    var docs = Path.Combine(repoRoot, "docs", "performance.md");
    File.WriteAllText(docs, MarkdownReport.UpdateDocs(File.Exists(docs) ? File.ReadAllText(docs) : null, markdown));
    Log($"updated {docs}");
}
return 0;

static string RepoRoot()
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "KubeBackup.sln")))
            {
                return directory.FullName;
            }
        }
    }
    throw new InvalidOperationException("KubeBackup.sln not found above the current directory or the program.");
}
