using KubeBackup.Benchmarks.Report;
using KubeBackup.Benchmarks.Scenarios.Backup;
using KubeBackup.Benchmarks.Scenarios.Restore;
using KubeBackup.Core.Restore;

namespace KubeBackup.Benchmarks.Scenarios;

/// <summary>
/// Restore of a backup of a synthetic cluster (issue 7's budgets), every method in the same run, each run into a fresh
/// empty emulator (its own process, started and idle before the clock starts): the floor (raw concurrent POSTs of the
/// same objects), kubectl create -f of kubectl's export, KubeBackup through the Core API and the module, and the same
/// restore again onto the cluster it populated (every item compared, then skipped). Then a second variant, reported as
/// its own scenario: the floor, kubectl and the Core restore of a 1,000-object cluster into empty emulators that delay
/// every write by an etcd-like commit latency (<see cref="WriteLatency"/>).
/// </summary>
public sealed class RestoreComparison(Components components, string workDirectory, int runs, int clusterSize, Action<string> log)
{
    public const string Name = "restore";
    public const string LatencyName = "restore-write-latency";

    /// <summary>The write-latency variant's cluster: the issue's small size, to keep the standard set within its time.</summary>
    public const int LatencyClusterSize = 1_000;

    private const string BackupName = "bench";
    private const string Floor = "floor (raw concurrent POST)";
    private const string Kubectl = "kubectl create -f per tier";
    private const string Core = "KubeBackup restore (Core API)";
    private const string ModuleFirst = "KubeBackup restore (module), first in session";
    private const string ModuleWarm = "KubeBackup restore (module), warm";
    private const string SkipAll = "KubeBackup restore again, -ExistingResourcePolicy Skip (all exist)";

    private readonly MethodSamples _samples = new();
    private readonly MethodSamples _latencySamples = new();

    // The objects the floor creates: once known, a sample of them warms every fresh target up (TargetWarmUp).
    private IReadOnlyList<IReadOnlyList<CreateRequest>>? _warmUpObjects;

    /// <summary>The backup every restore of one variant reads, and what the floor and kubectl create in its place.</summary>
    private sealed record Source(int Size, string Repository, long BackedUp, RestoreSet Set,
        IReadOnlyList<IReadOnlyList<CreateRequest>> FloorObjects, KubectlCreate.Files? KubectlFiles);

    /// <summary>
    /// One comparison: its samples, the emulator arguments of its targets and whether the module and the restore onto
    /// the full cluster are measured too; RunPrefix keeps its restore names apart from another variant's in a shared repository.
    /// </summary>
    private sealed record Variant(MethodSamples Samples, IReadOnlyList<string> TargetArguments, bool Full, string RunPrefix);

    /// <summary>The standard comparison, then the write-latency variant as a scenario of its own.</summary>
    public async Task<IReadOnlyList<ScenarioResult>> RunAsync()
    {
        var standard = await RunStandardAsync();
        return [standard.Result, await RunWriteLatencyAsync(standard.Source, standard.Kubectl)];
    }

    private async Task<(ScenarioResult Result, Source Source, string? Kubectl)> RunStandardAsync()
    {
        using var peak = new PeakWorkingSet();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var notes = new List<string>();
        var skipped = new List<string>();
        await components.EnsureBuiltAsync();
        var kubectl = await KubectlExport.LocateAsync(notes, skipped, log);
        var data = Path.Combine(workDirectory, "data");
        var source = await PrepareSourceAsync(clusterSize, Path.Combine(data, "repository"), kubectl, "");
        _warmUpObjects = source.FloorObjects;

        // Untimed, so the first figures measured do not pay for JIT compilation in this process.
        await using (var warm = await StartEmptyAsync([]))
        {
            using var client = ClusterClient.Open(warm.KubeconfigPath);
            await RawCreateFloor.RunAsync(client, source.FloorObjects);
        }
        var variant = new Variant(_samples, [], Full: true, RunPrefix: "");
        for (var run = 1; run <= runs; run++)
        {
            await MeasureRunAsync(run, variant, source, data, kubectl);
        }

        notes.Add($"Source: a `--synthetic {clusterSize}` cluster in the emulator (simulated controllers on, idle before use), backed up once by the Core API ({source.BackedUp:N0} items) into a local unencrypted FileSystem repository; every restore reads that backup.");
        notes.Add($"Targets: a fresh emulator per method and run (`--synthetic 0 --no-controllers`, its own process, started and idle before the clock starts), warmed up first: one object of each type restored created in a namespace of its own (cluster-scoped ones renamed), read and listed, so its first requests' JIT compilation is not timed. Into an empty cluster the restore creates {source.Set.Count:N0} of the backup's items (those a first, untimed restore recorded as Created): not the nodes, events, leases, owned pods, controller-made EndpointSlices and the like it leaves to the target cluster, nor what the cluster has or makes by itself (its namespaces, each namespace's default ServiceAccount). The floor and kubectl create exactly those objects.");
        notes.Add($"Floor: those objects from raw LISTs of the source cluster, server metadata (uid, resourceVersion, creationTimestamp, generation, managedFields), status and Services' cluster IPs dropped, POSTed with the client's HttpClient a tier at a time in the restore's order (CRDs, then namespaces, ...), {RawCreateFloor.Concurrency} at a time as the restore creates; nothing read back or compared.");
        notes.Add("kubectl: the files of `kubectl get TYPE -A -o json` per type (as in the backup scenario), reduced to the same objects reset the same way, then one `kubectl create --validate=false -f ... -f ...` per tier (the emulator serves no OpenAPI for client-side validation) in the restore's order (the CRD must exist before kubectl maps its kind). kubectl creates one object at a time.");
        notes.Add("KubeBackup (Core API): RestoreRunner with the default spec (ExistingResourcePolicy Skip) and options; opening the repository and the client is not timed. Module: `Restore-KbBackup bench -RestoreName ... -Kubeconfig ...` from the default location (KUBEBACKUP_DATA_DIR) in PowerShell hosted by tools/KbShell in a child process; import not counted; 'first in session' includes JIT compilation, 'warm' is the session's second restore into a second empty cluster.");
        notes.Add("MB: the bytes of the objects POSTed (floor) and of the files given to kubectl; none for the restores, which read the backup's repository.");
        notes.Add("Restore again: the Core restore run a second time onto the cluster it has just populated, ExistingResourcePolicy Skip: every item read from the backup, compared with the live object (listed per type and namespace) and skipped; Objects is the items compared.");
        notes.Add($"The emulator answers a create in a fraction of a millisecond (no etcd commit), so kubectl's one-object-at-a-time loop loses little here; the next table measures the same methods with an etcd-like {WriteLatency.Milliseconds} ms per write.");
        var result = new ScenarioResult(Name, "Restore of a cluster",
            "A backup of a synthetic cluster restored into fresh empty emulators by every method in the same run; Time / floor is the method's time over the floor's in that run.",
            [], peak.PeakBytes, clock.Elapsed.TotalSeconds, notes, skipped, _samples.Rows(), BuildBudgets(_samples, clusterSize, full: true), BudgetSource: "issue 7");
        return (result, source, kubectl);
    }

    /// <summary>
    /// The floor, kubectl and the Core restore again, into empty emulators that delay every write by
    /// <see cref="WriteLatency.Milliseconds"/>, on a 1,000-object cluster (the standard one when it has that size).
    /// </summary>
    private async Task<ScenarioResult> RunWriteLatencyAsync(Source standard, string? kubectl)
    {
        using var peak = new PeakWorkingSet();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var notes = new List<string>();
        var skipped = new List<string>();
        if (kubectl is null)
        {
            skipped.Add("kubectl: not on PATH (see the restore scenario above).");
        }
        var data = Path.Combine(workDirectory, "data-write-latency");
        // The standard variant's backup when it is of the same size (--quick): its restores are named apart (RunPrefix).
        var source = standard.Size == LatencyClusterSize
            ? standard
            : await PrepareSourceAsync(LatencyClusterSize, Path.Combine(data, "repository"), kubectl, "write-latency-");
        log($"write-latency variant: {WriteLatency.Milliseconds} ms per create, update and patch; {source.Set.Count:N0} objects to create");
        var variant = new Variant(_latencySamples, WriteLatency.EmulatorArguments, Full: false, RunPrefix: "write-latency-");
        for (var run = 1; run <= runs; run++)
        {
            await MeasureRunAsync(run, variant, source, data, kubectl);
        }

        notes.Add($"The methods of the restore scenario above (floor, kubectl create -f, KubeBackup restore through the Core API; the module and the restore onto the full cluster left out), measured the same way in the same invocation, into fresh empty emulators started with `{string.Join(' ', WriteLatency.EmulatorArguments)}`: every create, update and patch waits {WriteLatency.Milliseconds} ms (a non-blocking Task.Delay) before it is served; reads are not delayed (the warm-up's creates are delayed too, before the clock starts).");
        notes.Add($"Why: on a real cluster the API server answers a write only after etcd has committed it (a WAL fsync, and a Raft round trip on a multi-member etcd), which the emulator does not do. etcd's FAQ asks for a WAL fsync p99 under 10 ms and a backend commit p99 under 25 ms (https://etcd.io/docs/v3.5/faq/); {WriteLatency.Milliseconds} ms is half that fsync ceiling, a healthy SSD-backed etcd. Kubernetes' SLO for mutating API calls is p99 ≤ 1 s (https://github.com/kubernetes/community/blob/master/sig-scalability/slos/api_call_latency.md). kubectl waits for each create before it sends the next, so it pays the latency once per object; the floor and the restore keep {RawCreateFloor.Concurrency} creates in flight and pay it about once per {RawCreateFloor.Concurrency}.");
        notes.Add($"Source: a `--synthetic {source.Size}` cluster ({source.BackedUp:N0} items backed up; {source.Set.Count:N0} created by a restore into an empty cluster), the issue's small size, to keep the standard set within its time. The ratios depend little on the count: with the latency dominating, kubectl's time and the concurrent methods' times both grow in proportion to the objects created; only the fixed costs (one kubectl process per tier, the restore opening the backup) weigh somewhat more at 1,000 objects than at 10,000.");
        return new ScenarioResult(LatencyName, $"Restore with {WriteLatency.Milliseconds} ms API write latency (etcd-like), {source.Size:N0} objects",
            $"The restore comparison again, into empty emulators that delay every write by {WriteLatency.Milliseconds} ms as an etcd commit would; Time / floor is the method's time over the floor's in that run.",
            [], peak.PeakBytes, clock.Elapsed.TotalSeconds, notes, skipped, _latencySamples.Rows(),
            BuildBudgets(_latencySamples, source.Size, full: false, $", {WriteLatency.Milliseconds} ms write latency"), BudgetSource: "issue 7");
    }

    /// <summary>
    /// The source of a variant: a synthetic cluster backed up (Core API, unencrypted, into <paramref name="repository"/>),
    /// listed raw and exported by kubectl; none of it timed, and the emulator gone before the first measurement.
    /// </summary>
    private async Task<Source> PrepareSourceAsync(int size, string repository, string? kubectl, string prefix)
    {
        await using var source = await EmulatorProcess.StartAsync(components.EmulatorAssembly, size);
        var settled = await source.WaitUntilIdleAsync(TimeSpan.FromMinutes(3));
        log($"source cluster of {size:N0}: emulator ready in {source.Startup.TotalSeconds:F1} s, idle {settled.TotalSeconds:F0} s later");
        long backedUp;
        await using (var backup = await CoreBackup.CreateAsync(repository, encrypted: false))
        {
            backedUp = (await backup.RunAsync(source.KubeconfigPath, BackupName)).Items;
        }
        // The first restore, into an empty cluster, says what a restore creates; untimed, it also compiles the
        // restore's code in this process before the first measurement.
        var warmUp = prefix + "warm-up";
        await using (var empty = await StartEmptyAsync([]))
        {
            await CoreRestore.RunAsync(repository, BackupName, empty.KubeconfigPath, warmUp, ExistingResourcePolicy.Skip);
        }
        var set = await RestoreSet.FromRecordAsync(repository, warmUp);
        using var client = ClusterClient.Open(source.KubeconfigPath);
        var types = await ClusterClient.BackupTypesAsync(client);
        var floorObjects = await set.ListAsync(source.KubeconfigPath, types);
        KubectlCreate.Files? kubectlFiles = null;
        if (kubectl is not null)
        {
            var export = Path.Combine(workDirectory, prefix + "kubectl-export");
            await KubectlExport.RunAsync(kubectl, source.KubeconfigPath, types, export);
            kubectlFiles = await KubectlCreate.PrepareAsync(export, types, set, Path.Combine(workDirectory, prefix + "kubectl-create"));
        }
        log($"backup of {backedUp:N0} items; a restore into an empty cluster creates {set.Count:N0} of them in {floorObjects.Count} tiers");
        return new Source(size, repository, backedUp, set, floorObjects, kubectlFiles);
    }

    private async Task MeasureRunAsync(int run, Variant variant, Source source, string data, string? kubectl)
    {
        var targets = variant.TargetArguments;
        var label = variant.RunPrefix.Length == 0 ? $"run {run}" : $"{variant.RunPrefix}run {run}";
        void Add(string method, MethodSample sample) => variant.Samples.Add(source.Size, method, "", sample);

        double floorSeconds;
        await using (var target = await StartEmptyAsync(targets))
        {
            using var client = ClusterClient.Open(target.KubeconfigPath);
            var floor = await RawCreateFloor.RunAsync(client, source.FloorObjects);
            floorSeconds = floor.Elapsed.TotalSeconds;
            Add(Floor, new MethodSample(floorSeconds, floor.Objects, floor.Bytes, floorSeconds));
            log($"{label}: floor {floorSeconds:F2} s, {floor.Objects:N0} objects, {floor.Bytes:N0} bytes");
        }
        if (kubectl is not null && source.KubectlFiles is not null)
        {
            await using var target = await StartEmptyAsync(targets);
            var created = await KubectlCreate.RunAsync(kubectl, target.KubeconfigPath, source.KubectlFiles);
            Add(Kubectl, new MethodSample(created.Elapsed.TotalSeconds, created.Objects, created.Bytes, floorSeconds));
            log($"{label}: kubectl create {created.Elapsed.TotalSeconds:F2} s");
        }
        await using (var target = await StartEmptyAsync(targets))
        {
            var restore = await CoreRestore.RunAsync(source.Repository, BackupName, target.KubeconfigPath, $"{variant.RunPrefix}core-{run}", ExistingResourcePolicy.Skip);
            if (restore.Created != source.Set.Count)
            {
                throw new InvalidOperationException($"The Core restore created {restore.Created} objects; its plan had {source.Set.Count}.");
            }
            Add(Core, new MethodSample(restore.Elapsed.TotalSeconds, restore.Created, 0, floorSeconds));
            log($"{label}: Core restore {restore.Elapsed.TotalSeconds:F2} s, {restore.Created:N0} created, {restore.Skipped:N0} skipped of {restore.Items:N0}");
            if (!variant.Full)
            {
                return;
            }

            var again = await CoreRestore.RunAsync(source.Repository, BackupName, target.KubeconfigPath, $"again-{run}", ExistingResourcePolicy.Skip);
            if (again.Created != 0 || again.Updated != 0)
            {
                throw new InvalidOperationException($"The second restore onto the full cluster created {again.Created} and updated {again.Updated} objects.");
            }
            Add(SkipAll, new MethodSample(again.Elapsed.TotalSeconds, again.Items, 0, floorSeconds));
            log($"{label}: restore again (Skip) {again.Elapsed.TotalSeconds:F2} s, {again.Skipped:N0} skipped of {again.Items:N0}");
        }
        await using (var first = await StartEmptyAsync(targets))
        await using (var second = await StartEmptyAsync(targets))
        {
            var module = await ModuleRestore.RunAsync(components, data, BackupName, $"module-{run}", first.KubeconfigPath, second.KubeconfigPath,
                Path.Combine(workDirectory, $"module-{run}"));
            Add(ModuleFirst, new MethodSample(module.First.Seconds, module.First.Created, 0, floorSeconds));
            Add(ModuleWarm, new MethodSample(module.Second.Seconds, module.Second.Created, 0, floorSeconds));
            log($"{label}: module import {module.ImportSeconds:F2} s, first {module.First.Seconds:F2} s, warm {module.Second.Seconds:F2} s");
        }
    }

    /// <summary>A fresh empty emulator (with the variant's extra arguments), warmed up and idle.</summary>
    private Task<EmulatorProcess> StartEmptyAsync(IReadOnlyList<string> extraArguments) =>
        StartEmptyAsync(components.EmulatorAssembly, extraArguments, _warmUpObjects);

    /// <summary>
    /// A fresh empty emulator (`--synthetic 0 --no-controllers` and <paramref name="extraArguments"/>), warmed up with
    /// <paramref name="warmUpObjects"/> when given (<see cref="TargetWarmUp"/>), and idle: a restore's target.
    /// </summary>
    public static async Task<EmulatorProcess> StartEmptyAsync(string emulatorAssembly, IReadOnlyList<string> extraArguments,
        IReadOnlyList<IReadOnlyList<CreateRequest>>? warmUpObjects)
    {
        var emulator = await EmulatorProcess.StartAsync(emulatorAssembly, 0, ["--no-controllers", .. extraArguments]);
        if (warmUpObjects is not null)
        {
            using var client = ClusterClient.Open(emulator.KubeconfigPath);
            await TargetWarmUp.RunAsync(client, warmUpObjects);
        }
        await emulator.WaitUntilIdleAsync(TimeSpan.FromMinutes(1));
        return emulator;
    }

    private static List<BudgetCheck> BuildBudgets(MethodSamples samples, int size, bool full, string condition = "")
    {
        var budgets = new List<BudgetCheck>();
        var at = $"{size:N0}-object cluster{condition}";
        void Check(string budget, string target, Stat stat, bool met) =>
            budgets.Add(new BudgetCheck($"{budget}, {at}", target, $"{MethodSamples.Format(stat, "F2")}×", stat.Median, met));

        var core = samples.TimeToFloor(size, Core, "");
        Check("Restore (Core API) time / floor", "≤ 2×", core, core.Median <= 2);
        if (full)
        {
            var warm = samples.TimeToFloor(size, ModuleWarm, "");
            Check("Restore (module, warm) time / floor", "≤ 2× (the Core budget)", warm, warm.Median <= 2);
            var first = samples.TimeToFloor(size, ModuleFirst, "");
            Check("Restore (module, first in session) time / floor", "≤ 2× (the Core budget)", first, first.Median <= 2);
        }
        if (samples.TryGet(size, Kubectl, "", out _))
        {
            var speedup = samples.TimeRatio(size, Kubectl, Core, "");
            Check("kubectl create time / restore (Core API) time", "≥ 10×", speedup, speedup.Median >= 10);
        }
        return budgets;
    }
}
