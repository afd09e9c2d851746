using KubeBackup.Benchmarks.Report;
using KubeBackup.Benchmarks.Scenarios.Backup;
using KubeBackup.Benchmarks.Scenarios.Restore;
using KubeBackup.Core.Restore;

namespace KubeBackup.Benchmarks.Scenarios;

/// <summary>
/// Restore of a backup of a synthetic cluster (issue 7's budgets), every method in the same run, each run into a fresh
/// empty emulator (its own process, started and idle before the clock starts): the floor (raw concurrent POSTs of the
/// same objects), kubectl create -f of kubectl's export, KubeBackup through the Core API and the module, and the same
/// restore again onto the cluster it populated (every item compared, then skipped).
/// </summary>
public sealed class RestoreComparison(Components components, string workDirectory, int runs, int clusterSize, Action<string> log)
{
    public const string Name = "restore";
    private const string BackupName = "bench";
    private const string Floor = "floor (raw concurrent POST)";
    private const string Kubectl = "kubectl create -f per tier";
    private const string Core = "KubeBackup restore (Core API)";
    private const string ModuleFirst = "KubeBackup restore (module), first in session";
    private const string ModuleWarm = "KubeBackup restore (module), warm";
    private const string SkipAll = "KubeBackup restore again, -ExistingResourcePolicy Skip (all exist)";

    private readonly MethodSamples _samples = new();

    // The objects the floor creates: once known, a sample of them warms every fresh target up (TargetWarmUp).
    private IReadOnlyList<IReadOnlyList<CreateRequest>>? _warmUpObjects;

    public async Task<ScenarioResult> RunAsync()
    {
        using var peak = new PeakWorkingSet();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var notes = new List<string>();
        var skipped = new List<string>();
        await components.EnsureBuiltAsync();
        var kubectl = await KubectlExport.LocateAsync(notes, skipped, log);
        var data = Path.Combine(workDirectory, "data");
        var repository = Path.Combine(data, "repository");

        // The source: backed up (Core API, unencrypted) into the module's default location, listed raw and exported by
        // kubectl; none of it timed, and the emulator gone before the first measurement.
        RestoreSet set;
        IReadOnlyList<IReadOnlyList<CreateRequest>> floorObjects;
        KubectlCreate.Files? kubectlFiles = null;
        long backedUp;
        await using (var source = await EmulatorProcess.StartAsync(components.EmulatorAssembly, clusterSize))
        {
            var settled = await source.WaitUntilIdleAsync(TimeSpan.FromMinutes(3));
            log($"source cluster of {clusterSize:N0}: emulator ready in {source.Startup.TotalSeconds:F1} s, idle {settled.TotalSeconds:F0} s later");
            await using (var backup = await CoreBackup.CreateAsync(repository, encrypted: false))
            {
                backedUp = (await backup.RunAsync(source.KubeconfigPath, BackupName)).Items;
            }
            // The first restore, into an empty cluster, says what a restore creates; untimed, it also compiles the
            // restore's code in this process before the first measurement.
            await using (var empty = await StartEmptyAsync())
            {
                await CoreRestore.RunAsync(repository, BackupName, empty.KubeconfigPath, "warm-up", ExistingResourcePolicy.Skip);
            }
            set = await RestoreSet.FromRecordAsync(repository, "warm-up");
            using var client = ClusterClient.Open(source.KubeconfigPath);
            var types = await ClusterClient.BackupTypesAsync(client);
            floorObjects = _warmUpObjects = await set.ListAsync(source.KubeconfigPath, types);
            if (kubectl is not null)
            {
                var export = Path.Combine(workDirectory, "kubectl-export");
                await KubectlExport.RunAsync(kubectl, source.KubeconfigPath, types, export);
                kubectlFiles = await KubectlCreate.PrepareAsync(export, types, set, Path.Combine(workDirectory, "kubectl-create"));
            }
            log($"backup of {backedUp:N0} items; a restore into an empty cluster creates {set.Count:N0} of them in {floorObjects.Count} tiers");
        }

        // Untimed, so the first figures measured do not pay for JIT compilation in this process.
        await using (var warm = await StartEmptyAsync())
        {
            using var client = ClusterClient.Open(warm.KubeconfigPath);
            await RawCreateFloor.RunAsync(client, floorObjects);
        }
        for (var run = 1; run <= runs; run++)
        {
            await MeasureRunAsync(run, repository, data, set, floorObjects, kubectl, kubectlFiles);
        }

        notes.Add($"Source: a `--synthetic {clusterSize}` cluster in the emulator (simulated controllers on, idle before use), backed up once by the Core API ({backedUp:N0} items) into a local unencrypted FileSystem repository; every restore reads that backup.");
        notes.Add($"Targets: a fresh emulator per method and run (`--synthetic 0 --no-controllers`, its own process, started and idle before the clock starts), warmed up first: one object of each type restored created in a namespace of its own (cluster-scoped ones renamed), read and listed, so its first requests' JIT compilation is not timed. Into an empty cluster the restore creates {set.Count:N0} of the backup's items (those a first, untimed restore recorded as Created): not the nodes, events, leases, owned pods, controller-made EndpointSlices and the like it leaves to the target cluster, nor what the cluster has or makes by itself (its namespaces, each namespace's default ServiceAccount). The floor and kubectl create exactly those objects.");
        notes.Add($"Floor: those objects from raw LISTs of the source cluster, server metadata (uid, resourceVersion, creationTimestamp, generation, managedFields), status and Services' cluster IPs dropped, POSTed with the client's HttpClient a tier at a time in the restore's order (CRDs, then namespaces, ...), {RawCreateFloor.Concurrency} at a time as the restore creates; nothing read back or compared.");
        notes.Add("kubectl: the files of `kubectl get TYPE -A -o json` per type (as in the backup scenario), reduced to the same objects reset the same way, then one `kubectl create --validate=false -f ... -f ...` per tier (the emulator serves no OpenAPI for client-side validation) in the restore's order (the CRD must exist before kubectl maps its kind). kubectl creates one object at a time.");
        notes.Add("KubeBackup (Core API): RestoreRunner with the default spec (ExistingResourcePolicy Skip) and options; opening the repository and the client is not timed. Module: `Restore-KbBackup bench -RestoreName ... -Kubeconfig ...` from the default location (KUBEBACKUP_DATA_DIR) in PowerShell hosted by tools/KbShell in a child process; import not counted; 'first in session' includes JIT compilation, 'warm' is the session's second restore into a second empty cluster.");
        notes.Add("MB: the bytes of the objects POSTed (floor) and of the files given to kubectl; none for the restores, which read the backup's repository.");
        notes.Add("Restore again: the Core restore run a second time onto the cluster it has just populated, ExistingResourcePolicy Skip: every item read from the backup, compared with the live object (listed per type and namespace) and skipped; Objects is the items compared.");
        return new ScenarioResult(Name, "Restore of a cluster",
            "A backup of a synthetic cluster restored into fresh empty emulators by every method in the same run; Time / floor is the method's time over the floor's in that run.",
            [], peak.PeakBytes, clock.Elapsed.TotalSeconds, notes, skipped, _samples.Rows(), BuildBudgets(), BudgetSource: "issue 7");
    }

    private async Task MeasureRunAsync(int run, string repository, string data, RestoreSet set, IReadOnlyList<IReadOnlyList<CreateRequest>> floorObjects,
        string? kubectl, KubectlCreate.Files? kubectlFiles)
    {
        double floorSeconds;
        await using (var target = await StartEmptyAsync())
        {
            using var client = ClusterClient.Open(target.KubeconfigPath);
            var floor = await RawCreateFloor.RunAsync(client, floorObjects);
            floorSeconds = floor.Elapsed.TotalSeconds;
            Add(Floor, new MethodSample(floorSeconds, floor.Objects, floor.Bytes, floorSeconds));
            log($"run {run}: floor {floorSeconds:F2} s, {floor.Objects:N0} objects, {floor.Bytes:N0} bytes");
        }
        if (kubectl is not null && kubectlFiles is not null)
        {
            await using var target = await StartEmptyAsync();
            var created = await KubectlCreate.RunAsync(kubectl, target.KubeconfigPath, kubectlFiles);
            Add(Kubectl, new MethodSample(created.Elapsed.TotalSeconds, created.Objects, created.Bytes, floorSeconds));
            log($"run {run}: kubectl create {created.Elapsed.TotalSeconds:F2} s");
        }
        await using (var target = await StartEmptyAsync())
        {
            var restore = await CoreRestore.RunAsync(repository, BackupName, target.KubeconfigPath, $"core-{run}", ExistingResourcePolicy.Skip);
            if (restore.Created != set.Count)
            {
                throw new InvalidOperationException($"The Core restore created {restore.Created} objects; its plan had {set.Count}.");
            }
            Add(Core, new MethodSample(restore.Elapsed.TotalSeconds, restore.Created, 0, floorSeconds));
            log($"run {run}: Core restore {restore.Elapsed.TotalSeconds:F2} s, {restore.Created:N0} created, {restore.Skipped:N0} skipped of {restore.Items:N0}");

            var again = await CoreRestore.RunAsync(repository, BackupName, target.KubeconfigPath, $"again-{run}", ExistingResourcePolicy.Skip);
            if (again.Created != 0 || again.Updated != 0)
            {
                throw new InvalidOperationException($"The second restore onto the full cluster created {again.Created} and updated {again.Updated} objects.");
            }
            Add(SkipAll, new MethodSample(again.Elapsed.TotalSeconds, again.Items, 0, floorSeconds));
            log($"run {run}: restore again (Skip) {again.Elapsed.TotalSeconds:F2} s, {again.Skipped:N0} skipped of {again.Items:N0}");
        }
        await using (var first = await StartEmptyAsync())
        await using (var second = await StartEmptyAsync())
        {
            var module = await ModuleRestore.RunAsync(components, data, BackupName, $"module-{run}", first.KubeconfigPath, second.KubeconfigPath,
                Path.Combine(workDirectory, $"module-{run}"));
            Add(ModuleFirst, new MethodSample(module.First.Seconds, module.First.Created, 0, floorSeconds));
            Add(ModuleWarm, new MethodSample(module.Second.Seconds, module.Second.Created, 0, floorSeconds));
            log($"run {run}: module import {module.ImportSeconds:F2} s, first {module.First.Seconds:F2} s, warm {module.Second.Seconds:F2} s");
        }
    }

    private async Task<EmulatorProcess> StartEmptyAsync()
    {
        var emulator = await EmulatorProcess.StartAsync(components.EmulatorAssembly, 0, "--no-controllers");
        if (_warmUpObjects is not null)
        {
            using var client = ClusterClient.Open(emulator.KubeconfigPath);
            await TargetWarmUp.RunAsync(client, _warmUpObjects);
        }
        await emulator.WaitUntilIdleAsync(TimeSpan.FromMinutes(1));
        return emulator;
    }

    private void Add(string method, MethodSample sample) => _samples.Add(clusterSize, method, "", sample);

    private List<BudgetCheck> BuildBudgets()
    {
        var budgets = new List<BudgetCheck>();
        var at = $"{clusterSize:N0}-object cluster";
        void Check(string budget, string target, Stat stat, bool met) =>
            budgets.Add(new BudgetCheck($"{budget}, {at}", target, $"{MethodSamples.Format(stat, "F2")}×", stat.Median, met));

        var core = _samples.TimeToFloor(clusterSize, Core, "");
        Check("Restore (Core API) time / floor", "≤ 2×", core, core.Median <= 2);
        var warm = _samples.TimeToFloor(clusterSize, ModuleWarm, "");
        Check("Restore (module, warm) time / floor", "≤ 2× (the Core budget)", warm, warm.Median <= 2);
        var first = _samples.TimeToFloor(clusterSize, ModuleFirst, "");
        Check("Restore (module, first in session) time / floor", "≤ 2× (the Core budget)", first, first.Median <= 2);
        if (_samples.TryGet(clusterSize, Kubectl, "", out _))
        {
            var speedup = _samples.TimeRatio(clusterSize, Kubectl, Core, "");
            Check("kubectl create time / restore (Core API) time", "≥ 10×", speedup, speedup.Median >= 10);
        }
        return budgets;
    }
}
