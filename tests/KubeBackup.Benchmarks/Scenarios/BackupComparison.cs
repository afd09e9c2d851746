using KubeBackup.Benchmarks.Report;
using KubeBackup.Benchmarks.Scenarios.Backup;
using KubeBackup.Core.Backup;

namespace KubeBackup.Benchmarks.Scenarios;

/// <summary>
/// Backup of synthetic clusters in the standalone emulator (issue 5's budgets), every method in the same run: the floor
/// (raw paged LISTs), kubectl get -o json per type, KubeBackup through the Core API (plain and encrypted), the module
/// (New-KbBackup in PowerShell), an incremental backup after 1 % of the objects changed, and the peak memory of a large
/// backup in a child process, then of the restore of that backup into an empty cluster (another child process).
/// </summary>
public sealed class BackupComparison(Components components, string workDirectory, int runs, IReadOnlyList<int> clusterSizes, int memoryClusterSize, Action<string> log)
{
    public const string Name = "backup";
    private const int MemoryBudgetBytes = 300_000_000;

    private readonly MethodSamples _samples = new();

    // Per cluster size and run: the incremental backup's repository growth over the full backup's, in percent.
    private readonly Dictionary<int, List<double>> _incrementalPercent = [];

    // The same with the engine's own count (new blob bytes only, no manifest, index or record): what the changed
    // objects themselves cost, the least any object-level deduplication must store.
    private readonly Dictionary<int, List<double>> _incrementalBlobPercent = [];

    public async Task<ScenarioResult> RunAsync()
    {
        using var peak = new PeakWorkingSet();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var notes = new List<string>();
        var skipped = new List<string>();
        await components.EnsureBuiltAsync();
        var kubectl = await KubectlExport.LocateAsync(notes, skipped, log);
        var selfTest = await EmulatorProcess.SelfTestAsync(components.EmulatorAssembly);
        log("emulator --selftest-speed: " + string.Join("; ", selfTest));
        notes.Add("The emulator's own speed (`--selftest-speed`, same machine, same run): " + string.Join("; ", selfTest) + ".");

        var changed = new Dictionary<int, int>();
        foreach (var size in clusterSizes)
        {
            changed[size] = await MeasureClusterAsync(size, kubectl, notes, warmUp: size == clusterSizes[0]);
        }
        var (memory, restoreMemory) = await MeasureMemoryAsync(notes);

        foreach (var (size, shares) in _incrementalPercent)
        {
            notes.Add($"Incremental, {size:N0} objects: the repository grew by {Stat.Of(shares).Median:F2} % of the full backup's growth; by the engine's count of new blob bytes (the changed objects alone, no manifest, index or record) {Stat.Of(_incrementalBlobPercent[size]).Median:F2} % of the full backup's blob bytes.");
        }
        var rows = _samples.Rows();
        var budgets = BuildBudgets(memory);
        notes.Add("Step rows: a backup's steps done one at a time with the engine's public parts, each timed alone, to show where its time goes (the backup itself overlaps them): discovery; the Core lister's paged lists cut into objects as bytes, as the backup takes them (4 lists at a time); for comparison, the same lists parsed into JSON trees, which the backup no longer does; the repository adding the objects (hash, compress, pack; as many at a time as the backup); its commit (packs flushed, index, manifest, record).");
        notes.Add("Objects is what each method took: items listed (floor), items backed up (KubeBackup). kubectl's objects/s uses the floor's count of the same types.");
        notes.Add("MB read / written / added: response bytes read (floor), bytes of the JSON files written (kubectl), growth of the repository folder on disk, every file included (KubeBackup). MB = 1,000,000 bytes.");
        notes.Add($"Floor: paged LISTs (limit 500) of every type discovery offers for backup, {new BackupRunOptions().MaxConcurrentLists} at a time as the backup lists, bodies read fully and token-scanned for the item count and continue token, nothing parsed into objects.");
        notes.Add($"KubeBackup (Core API): BackupRunner with the default spec and options into a fresh local FileSystem repository; encrypted rows use a passphrase with {CoreBackup.KdfIterations:N0} PBKDF2 iterations (the bench opens each repository once; key derivation is measured in the repository scenario).");
        notes.Add("KubeBackup (module): `New-KbBackup -Name bench -Kubeconfig ...` into the default location (KUBEBACKUP_DATA_DIR set to a temp folder, unencrypted) in PowerShell 7.6 hosted by tools/KbShell in a child process with stderr redirected (no progress rendering); import time is not counted. 'first in session' includes JIT compilation as a scheduled job pays it; 'warm' is the second backup of the same session into a fresh repository.");
        notes.Add("Incremental: after the unencrypted Core backup, " + string.Join(", ", changed.Select(c => $"{c.Value:N0} ConfigMaps/Secrets ({c.Key:N0}-object cluster)")) + " get a new data key by merge PATCH through the API (1 % of the objects), then a second backup runs into the same repository; its MB added is the repository's growth.");
        return new ScenarioResult(Name, "Backup of a cluster",
            "Synthetic clusters in the emulator (its own process), backed up by every method in the same run; Time / floor is the method's time over the floor's in that run.",
            [], peak.PeakBytes, clock.Elapsed.TotalSeconds, notes, skipped, rows, budgets,
            MemoryRows: [MemoryRowOf("backup", memory), MemoryRowOf("restore", restoreMemory)]);
    }

    private async Task<int> MeasureClusterAsync(int size, string? kubectl, List<string> notes, bool warmUp)
    {
        await using var emulator = await EmulatorProcess.StartAsync(components.EmulatorAssembly, size);
        var settled = await emulator.WaitUntilIdleAsync(TimeSpan.FromMinutes(3));
        log($"cluster of {size:N0}: emulator ready in {emulator.Startup.TotalSeconds:F1} s at {emulator.Url}, idle {settled.TotalSeconds:F0} s later");
        using var client = ClusterClient.Open(emulator.KubeconfigPath);
        var types = await ClusterClient.BackupTypesAsync(client);
        var concurrency = new BackupRunOptions().MaxConcurrentLists;
        var pageSize = new BackupRunOptions().PageSize;
        if (warmUp)
        {
            // Untimed, so the first figures measured do not pay for JIT compilation in this process.
            await RawListFloor.RunAsync(client, types, concurrency, pageSize);
            await using var warm = await CoreBackup.CreateAsync(Path.Combine(workDirectory, "warm-up"), encrypted: true);
            await warm.RunAsync(emulator.KubeconfigPath, "warm-up");
        }
        var changedCount = 0;
        for (var run = 1; run <= runs; run++)
        {
            var runDirectory = Path.Combine(workDirectory, $"{size}-{run}");
            var floor = await RawListFloor.RunAsync(client, types, concurrency, pageSize);
            var floorSeconds = floor.Elapsed.TotalSeconds;
            Add(size, "floor (raw paged LIST)", "", new MethodSample(floorSeconds, floor.Objects, floor.Bytes, floorSeconds));
            log($"cluster {size:N0}, run {run}: floor {floorSeconds:F2} s, {floor.Objects:N0} objects in {types.Count} types, {floor.Pages} pages, {floor.Bytes:N0} bytes");

            if (kubectl is not null)
            {
                var export = await KubectlExport.RunAsync(kubectl, emulator.KubeconfigPath, types, Path.Combine(runDirectory, "kubectl"));
                Add(size, "kubectl get -o json per type", "", new MethodSample(export.Elapsed.TotalSeconds, floor.Objects, export.Bytes, floorSeconds));
                log($"cluster {size:N0}, run {run}: kubectl {export.Elapsed.TotalSeconds:F2} s, {export.Bytes:N0} bytes");
            }

            await using (var plain = await CoreBackup.CreateAsync(Path.Combine(runDirectory, "plain"), encrypted: false))
            {
                var full = await plain.RunAsync(emulator.KubeconfigPath, "full");
                Add(size, "KubeBackup (Core API)", "none", new MethodSample(full.Elapsed.TotalSeconds, full.Items, full.RepositoryGrowth, floorSeconds));
                log($"cluster {size:N0}, run {run}: Core backup {full.Elapsed.TotalSeconds:F2} s, {full.Items:N0} items, {full.RepositoryGrowth:N0} bytes on disk ({full.SizeAdded:N0} added by the engine's count)");

                changedCount = await ClusterChurn.ChangeAsync(emulator.KubeconfigPath, (int)Math.Ceiling(full.Items / 100.0), $"{size}-{run}");
                var incremental = await plain.RunAsync(emulator.KubeconfigPath, "incremental");
                if (incremental.Parent != "full")
                {
                    throw new InvalidOperationException($"The second backup's parent is '{incremental.Parent}', not 'full': it was not incremental.");
                }
                Add(size, $"KubeBackup incremental (1 % changed)", "none", new MethodSample(incremental.Elapsed.TotalSeconds, incremental.Items, incremental.RepositoryGrowth, floorSeconds));
                (_incrementalPercent.TryGetValue(size, out var shares) ? shares : _incrementalPercent[size] = []).Add(100.0 * incremental.RepositoryGrowth / full.RepositoryGrowth);
                (_incrementalBlobPercent.TryGetValue(size, out var blobShares) ? blobShares : _incrementalBlobPercent[size] = []).Add(100.0 * incremental.SizeAdded / full.SizeAdded);
                log($"cluster {size:N0}, run {run}: {changedCount} changed, incremental {incremental.Elapsed.TotalSeconds:F2} s, {incremental.RepositoryGrowth:N0} bytes on disk ({incremental.SizeAdded:N0} added by the engine's count)");
            }

            await using (var encrypted = await CoreBackup.CreateAsync(Path.Combine(runDirectory, "encrypted"), encrypted: true))
            {
                var full = await encrypted.RunAsync(emulator.KubeconfigPath, "full");
                Add(size, "KubeBackup (Core API)", "AES-256-GCM", new MethodSample(full.Elapsed.TotalSeconds, full.Items, full.RepositoryGrowth, floorSeconds));
                log($"cluster {size:N0}, run {run}: Core backup encrypted {full.Elapsed.TotalSeconds:F2} s");
            }

            var phases = await BackupPhases.MeasureAsync(client, types, Path.Combine(runDirectory, "phases"));
            Add(size, "step: discovery", "", new MethodSample(phases.Discovery.TotalSeconds, 0, 0, floorSeconds));
            Add(size, "step: lists cut into objects as bytes (as the backup lists)", "", new MethodSample(phases.ListCut.TotalSeconds, phases.Items, 0, floorSeconds));
            Add(size, "step (comparison): lists parsed into JSON trees", "", new MethodSample(phases.ListParse.TotalSeconds, phases.Items, 0, floorSeconds));
            Add(size, "step: repository adds the objects", "none", new MethodSample(phases.RepositoryAdd.TotalSeconds, phases.Items, 0, floorSeconds));
            Add(size, "step: repository commit", "none", new MethodSample(phases.RepositoryCommit.TotalSeconds, 0, CoreBackup.SizeOnDisk(Path.Combine(runDirectory, "phases")), floorSeconds));
            log($"cluster {size:N0}, run {run}: steps: discovery {phases.Discovery.TotalSeconds:F2} s, lists as bytes {phases.ListCut.TotalSeconds:F2} s (parsed into trees {phases.ListParse.TotalSeconds:F2} s), repository add {phases.RepositoryAdd.TotalSeconds:F2} s, commit {phases.RepositoryCommit.TotalSeconds:F2} s");

            var module = await ModuleBackup.RunAsync(components, emulator.KubeconfigPath, Path.Combine(runDirectory, "module"));
            Add(size, "KubeBackup (module), first in session", "none", new MethodSample(module.First.Seconds, module.First.Items, module.First.RepositoryBytes, floorSeconds));
            Add(size, "KubeBackup (module), warm", "none", new MethodSample(module.Second.Seconds, module.Second.Items, module.Second.RepositoryBytes, floorSeconds));
            log($"cluster {size:N0}, run {run}: module import {module.ImportSeconds:F2} s, first {module.First.Seconds:F2} s, warm {module.Second.Seconds:F2} s");
            Directory.Delete(runDirectory, recursive: true);
        }
        notes.Add($"Cluster of {size:N0}: `--synthetic {size}`; the emulator generated it and listened in {emulator.Startup.TotalSeconds:F1} s, and measuring began when its controllers were idle ({settled.TotalSeconds:F0} s later); {types.Count} resource types listed.");
        return changedCount;
    }

    /// <summary>
    /// The backup memory probe into a new repository, then the restore memory probe of that backup (no second backup)
    /// into a fresh empty emulator, started the way the restore scenario starts its targets.
    /// </summary>
    private async Task<(MemoryProbe.Result Backup, MemoryProbe.Result Restore)> MeasureMemoryAsync(List<string> notes)
    {
        var repository = Path.Combine(workDirectory, "memory");
        MemoryProbe.Result backup;
        // Without simulated controllers: at 100,000 objects they keep the emulator busy for minutes after it starts (it
        // never went idle within 3 minutes), and the memory of one backup does not depend on them.
        await using (var emulator = await EmulatorProcess.StartAsync(components.EmulatorAssembly, memoryClusterSize, "--no-controllers"))
        {
            var settled = await emulator.WaitUntilIdleAsync(TimeSpan.FromMinutes(3));
            log($"memory probe: emulator of {memoryClusterSize:N0} ready in {emulator.Startup.TotalSeconds:F1} s, idle {settled.TotalSeconds:F0} s later");
            backup = await MemoryProbe.BackupAsync(emulator.KubeconfigPath, repository);
            log($"memory probe: backup of {backup.Items:N0} items in {backup.Seconds:F1} s, peak working set {backup.PeakWorkingSetBytes / 1e6:F0} MB, managed peak {backup.PeakManagedBytes / 1e6:F0} MB, allocated {backup.AllocatedBytes / 1e6:F0} MB");
        }
        MemoryProbe.Result restore;
        // The source emulator is gone first, so the restore shares the 2 cores with its target only. No warm-up: the
        // target's JIT compilation is the emulator's, not the child's, and the figure of interest is memory.
        await using (var target = await RestoreComparison.StartEmptyAsync(components.EmulatorAssembly, [], warmUpObjects: null))
        {
            restore = await MemoryProbe.RestoreAsync(target.KubeconfigPath, repository, MemoryProbe.OperationName);
            log($"memory probe: restore of {restore.Items:N0} items in {restore.Seconds:F1} s, peak working set {restore.PeakWorkingSetBytes / 1e6:F0} MB, managed peak {restore.PeakManagedBytes / 1e6:F0} MB, allocated {restore.AllocatedBytes / 1e6:F0} MB");
        }
        Directory.Delete(repository, recursive: true);
        notes.Add($"Memory, backup: one Core backup (unencrypted, default options) of a `--synthetic {memoryClusterSize} --no-controllers` cluster ({backup.Items:N0} items) in a child process that does nothing else, one run: {backup.Seconds:F1} s ({backup.Items / backup.Seconds:N0} objects/s); " +
            $"peak working set (VmHWM, runtime included) {backup.PeakWorkingSetBytes / 1e6:F0} MB; largest managed heap seen by a 20 ms sampler {backup.PeakManagedBytes / 1e6:F0} MB, at {backup.PeakManagedAt:P0} of the backup's duration; {backup.AllocatedBytes / 1e6:N0} MB allocated in all; {backup.Gen2Collections} gen-2 collections (workstation GC).");
        notes.Add($"Memory, restore: that backup (not taken again) restored by one Core restore (RestoreRunner, default spec: ExistingResourcePolicy Skip) into a fresh empty emulator (`--synthetic 0 --no-controllers`, idle, not warmed up; the source emulator stopped first) in a child process that does nothing else, one run: {restore.Seconds:F1} s for the {restore.Items:N0} items of the backup ({restore.Items / restore.Seconds:N0} items/s; items selected, not all created: nodes, events, owned pods and the like are left to the cluster); " +
            $"peak working set {restore.PeakWorkingSetBytes / 1e6:F0} MB; largest managed heap {restore.PeakManagedBytes / 1e6:F0} MB, at {restore.PeakManagedAt:P0} of the restore's duration; {restore.AllocatedBytes / 1e6:N0} MB allocated in all; {restore.Gen2Collections} gen-2 collections. No budget is checked against it.");
        return (backup, restore);
    }

    private MemoryRow MemoryRowOf(string operation, MemoryProbe.Result result) =>
        new($"{operation}, {memoryClusterSize:N0} objects", result.Items, result.Seconds, result.PeakWorkingSetBytes,
            result.PeakManagedBytes, result.AllocatedBytes, result.Gen2Collections);

    private void Add(int size, string method, string encryption, MethodSample sample) => _samples.Add(size, method, encryption, sample);

    private List<BudgetCheck> BuildBudgets(MemoryProbe.Result memory)
    {
        var budgets = new List<BudgetCheck>();
        var size = clusterSizes.Contains(10_000) ? 10_000 : clusterSizes.Max();
        var at = $"{size:N0} objects";
        Stat Ratio(string method, string encryption) => _samples.TimeToFloor(size, method, encryption);
        void Check(string budget, string target, Stat stat, string format, string unit, bool met) =>
            budgets.Add(new BudgetCheck($"{budget}, {at}", target, $"{Format(stat, format)}{unit}", stat.Median, met));

        var core = Ratio("KubeBackup (Core API)", "none");
        Check("Backup (Core API) time / floor", "≤ 1.5×", core, "F2", "×", core.Median <= 1.5);
        var coreEncrypted = Ratio("KubeBackup (Core API)", "AES-256-GCM");
        Check("Backup (Core API, encrypted) time / floor", "≤ 1.5×", coreEncrypted, "F2", "×", coreEncrypted.Median <= 1.5);
        var module = Ratio("KubeBackup (module), warm", "none");
        Check("Backup (module, warm) time / floor", "≤ 1.5× (the Core budget)", module, "F2", "×", module.Median <= 1.5);
        var moduleFirst = Ratio("KubeBackup (module), first in session", "none");
        Check("Backup (module, first in session) time / floor", "≤ 1.5× (the Core budget)", moduleFirst, "F2", "×", moduleFirst.Median <= 1.5);
        if (_samples.TryGet(size, "kubectl get -o json per type", "", out var kubectl))
        {
            var speedup = Stat.Of(kubectl.Zip(_samples[size, "KubeBackup (Core API)", "none"], (k, c) => k.Seconds / c.Seconds).ToList());
            Check("kubectl time / backup (Core API) time", "≥ 3×", speedup, "F2", "×", speedup.Median >= 3);
        }
        var incremental = Stat.Of(_incrementalPercent[size]);
        Check("Incremental bytes added / full bytes added (1 % changed)", "≤ 3 %", incremental, "F2", " %", incremental.Median <= 3);
        var peak = new Stat(memory.PeakWorkingSetBytes / 1e6, memory.PeakWorkingSetBytes / 1e6, memory.PeakWorkingSetBytes / 1e6);
        budgets.Add(new BudgetCheck($"Peak working set of a backup, {memory.Items:N0} objects (child process, 1 run)", "< 300 MB",
            $"{peak.Median:F0} MB", peak.Median, memory.PeakWorkingSetBytes < MemoryBudgetBytes));
        return budgets;
    }

    private static string Format(Stat stat, string format) => MethodSamples.Format(stat, format);
}
