using System.Diagnostics;
using System.Management.Automation;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KubeBackup.Module.Tests.Restores;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Snapshots;

/// <summary>
/// New-KbVolumeSnapshot through the hosted engine against an emulator (out of process) whose CSI snapshot controller
/// binds contents and reports readiness, errors or nothing, as the flags of each test ask. The snapshots are read back
/// with kubectl.
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class NewKbVolumeSnapshotTests : IAsyncLifetime, IDisposable
{
    /// <summary>
    /// Claims in three namespaces: labelled backup=enabled or not, on the default StorageClass (whose driver has a
    /// default VolumeSnapshotClass) or on nfs (whose driver has none).
    /// </summary>
    private const string Claims = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: prod}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: billing}
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: nfs}
        provisioner: nfs.csi.k8s.io
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data-db-0, namespace: prod, labels: {backup: enabled}}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}, storageClassName: standard}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: uploads, namespace: prod, labels: {backup: enabled}}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: standard}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: scratch, namespace: prod}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: standard}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: shared, namespace: prod, labels: {backup: enabled}}
        spec: {accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}, storageClassName: nfs}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: ledger, namespace: billing, labels: {backup: enabled}}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 2Gi}}, storageClassName: standard}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: cache, namespace: default, labels: {backup: enabled}}
        spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}, storageClassName: standard}
        """;

    private static readonly Regex SeedName = new(@"^(?<pvc>[a-z0-9-]+)-snap-\d{8}-\d{4}$");

    private readonly string _directory = Directory.CreateTempSubdirectory("kb-snap-").FullName;
    private readonly RecordingHost _host = new();
    private readonly List<EmulatorProcess> _clusters = [];
    private PowerShellSession? _session;

    private PowerShellSession Session => _session!;

    private string ClaimsFile => Path.Combine(_directory, "claims.yaml");

    public Task InitializeAsync()
    {
        File.WriteAllText(ClaimsFile, Claims);
        _session = PowerShellSession.Start(host: _host);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _session?.Dispose();
        foreach (var cluster in _clusters)
        {
            await cluster.DisposeAsync();
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>An emulator holding the claims, all bound, as the current kubeconfig of the session.</summary>
    private async Task<EmulatorProcess> StartClusterAsync(params string[] flags)
    {
        var cluster = await EmulatorProcess.StartAsync("prod", ["--load", ClaimsFile, .. flags]);
        _clusters.Add(cluster);
        Session.Invoke("$env:KUBECONFIG = $args[0]", cluster.KubeconfigPath).ThrowIfErrors();
        await WaitBoundAsync(cluster);
        return cluster;
    }

    /// <summary>The volume controller binds claims asynchronously, as a real one does; snapshots need bound claims.</summary>
    private static async Task WaitBoundAsync(EmulatorProcess cluster)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var claims = Json(Kubectl.Run(cluster.KubeconfigPath, "get", "pvc", "-A", "-o", "json"))["items"]!.AsArray();
            if (claims.Count == 6 && claims.All(c => (string?)c!["status"]?["phase"] == "Bound"))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "The emulator did not bind the claims within 30 s.");
            await Task.Delay(50);
        }
    }

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    /// <summary>The VolumeSnapshots of the cluster by namespace/name, as kubectl reads them.</summary>
    private static Dictionary<string, JsonObject> Snapshots(EmulatorProcess cluster) =>
        Json(Kubectl.Run(cluster.KubeconfigPath, "get", "volumesnapshots", "-A", "-o", "json"))["items"]!.AsArray()
            .Select(s => s!.AsObject())
            .ToDictionary(s => $"{s["metadata"]!["namespace"]}/{s["metadata"]!["name"]}");

    private static string Text(PSObject o, string property) => o.Properties[property]?.Value?.ToString() ?? "";

    private static PSObject ResultOf(PsResult result, string ns, string pvc) =>
        Assert.Single(result.Output, o => Text(o, "Namespace") == ns && Text(o, "PersistentVolumeClaim") == pvc);

    private static string Id(ErrorRecord error) => error.FullyQualifiedErrorId.Split(',')[0];

    [Fact]
    public async Task DefaultsTakeTheLabelledClaimsOfTheContextNamespaceWithTheSeedsNamesLabelsAndDefaultClass()
    {
        var cluster = await StartClusterAsync();

        var result = Session.Invoke("New-KbVolumeSnapshot -Verbose").ThrowIfErrors();

        var cache = Assert.Single(result.Output);
        Assert.Equal("KubeBackup.Core.Snapshots.VolumeSnapshotResult", cache.TypeNames[0]);
        Assert.Equal("default", Text(cache, "Namespace"));
        Assert.Equal("cache", Text(cache, "PersistentVolumeClaim"));
        Assert.Equal("Created", Text(cache, "Status"));
        Assert.Equal("csi-hostpath-snapclass", Text(cache, "SnapshotClass"));
        var name = Text(cache, "Snapshot");
        Assert.Equal("cache", SeedName.Match(name).Groups["pvc"].Value);
        Assert.Contains(result.Verbose, v => v.Contains($"Created VolumeSnapshot default/{name}", StringComparison.Ordinal));

        var live = Assert.Single(Snapshots(cluster)).Value;
        Assert.Equal(name, (string?)live["metadata"]!["name"]);
        Assert.Equal("daily", (string?)live["metadata"]!["labels"]!["backup-type"]);
        Assert.Equal("cache", (string?)live["metadata"]!["labels"]!["source-pvc"]);
        Assert.Equal("cache", (string?)live["spec"]!["source"]!["persistentVolumeClaimName"]);
        Assert.Equal("csi-hostpath-snapclass", (string?)live["spec"]!["volumeSnapshotClassName"]);
    }

    [Fact]
    public async Task WaitReportsReadyAndAClaimWhoseDriverHasNoSnapshotClassFailsAloneWithAnError()
    {
        var cluster = await StartClusterAsync();

        var result = Session.Invoke("$r = New-KbVolumeSnapshot -Namespace prod -Wait; $ok = $?; $r; $ok");

        Assert.False((bool)result.Output[^1].BaseObject, "$? stays true although a claim failed.");
        var results = result.Output.SkipLast(1).ToList();
        Assert.Equal(["data-db-0", "shared", "uploads"], results.Select(r => Text(r, "PersistentVolumeClaim")).Order());
        foreach (var pvc in new[] { "data-db-0", "uploads" })
        {
            var ready = ResultOf(result, "prod", pvc);
            Assert.Equal("Ready", Text(ready, "Status"));
            Assert.NotEmpty(Text(ready, "ContentName"));
        }
        Assert.Equal("10Gi", Text(ResultOf(result, "prod", "data-db-0"), "RestoreSize"));
        var shared = ResultOf(result, "prod", "shared");
        Assert.Equal("Failed", Text(shared, "Status"));
        Assert.Equal("SnapshotClassNotFound", Text(shared, "ErrorId"));
        Assert.Contains("nfs.csi.k8s.io", Text(shared, "Message"), StringComparison.Ordinal);

        var error = result.SingleError();
        Assert.Equal("SnapshotClassNotFound,KubeBackup.Commands.NewKbVolumeSnapshotCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("prod/shared", error.TargetObject.ToString());
        Assert.Contains(result.Progress, p => p.Activity == "Waiting for volume snapshots" && p.RecordType == ProgressRecordType.Completed);

        var live = Snapshots(cluster);
        Assert.Equal(2, live.Count);
        Assert.All(live.Values, s => Assert.True((bool)s["status"]!["readyToUse"]!));
        Assert.DoesNotContain(live.Keys, k => k.StartsWith("prod/scratch", StringComparison.Ordinal) || k.StartsWith("prod/shared", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AllNamespacesTakesEveryLabelledClaimWithTheBackupTypeAndExtraLabels()
    {
        var cluster = await StartClusterAsync();

        var result = Session.Invoke("New-KbVolumeSnapshot -AllNamespaces -BackupType hourly -Label @{ team = 'db' } -Wait");

        Assert.Equal(["billing/ledger", "default/cache", "prod/data-db-0", "prod/shared", "prod/uploads"],
            result.Output.Select(o => $"{Text(o, "Namespace")}/{Text(o, "PersistentVolumeClaim")}").Order());
        Assert.Equal(4, result.Output.Count(o => Text(o, "Status") == "Ready"));
        Assert.Equal("SnapshotClassNotFound", Id(result.SingleError()));
        var ledger = Assert.Single(Snapshots(cluster), s => s.Key.StartsWith("billing/", StringComparison.Ordinal)).Value;
        var labels = ledger["metadata"]!["labels"]!;
        Assert.Equal("hourly", (string?)labels["backup-type"]);
        Assert.Equal("ledger", (string?)labels["source-pvc"]);
        Assert.Equal("db", (string?)labels["team"]);
    }

    [Fact]
    public async Task PipedClaimsBindByNamespaceAndNameIgnoreTheSelectorAndAMissingOneIsAnError()
    {
        var cluster = await StartClusterAsync();

        var result = Session.Invoke("""
            [pscustomobject]@{ Namespace = 'prod'; Name = 'scratch' },
            [pscustomobject]@{ Namespace = 'billing'; ClaimName = 'ledger' },
            [pscustomobject]@{ Namespace = 'prod'; Name = 'gone' } | New-KbVolumeSnapshot -Wait
            """);

        Assert.Equal(["billing/ledger", "prod/scratch"], result.Output.Select(o => $"{Text(o, "Namespace")}/{Text(o, "PersistentVolumeClaim")}").Order());
        Assert.All(result.Output, o => Assert.Equal("Ready", Text(o, "Status")));
        var error = result.SingleError();
        Assert.Equal("ClaimNotSnapshottable", Id(error));
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("prod/gone", error.TargetObject.ToString());
        Assert.Equal(["billing/ledger", "prod/scratch"], Snapshots(cluster).Values.Select(s => $"{s["metadata"]!["namespace"]}/{s["metadata"]!["labels"]!["source-pvc"]}").Order());

        var named = Session.Invoke("New-KbVolumeSnapshot uploads -Namespace prod -NameFormat '{pvc}-by-name'").ThrowIfErrors();
        Assert.Equal("uploads-by-name", Text(Assert.Single(named.Output), "Snapshot"));
    }

    [Fact]
    public async Task TheClaimsOfABackupPipeInFromGetKbBackupItem()
    {
        using var user = new IsolatedUserDirectories();
        var cluster = await StartClusterAsync();
        Session.Invoke("New-KbBackup claims -IncludeNamespace prod -IncludeResource persistentvolumeclaims").ThrowIfErrors();

        var result = Session.Invoke("Get-KbBackupItem claims -Resource persistentvolumeclaims | New-KbVolumeSnapshot -BackupType pre-restore -Wait");

        Assert.Equal(["data-db-0", "scratch", "shared", "uploads"], result.Output.Select(o => Text(o, "PersistentVolumeClaim")).Order());
        Assert.Equal("Failed", Text(ResultOf(result, "prod", "shared"), "Status"));
        Assert.Equal("SnapshotClassNotFound", Id(result.SingleError()));
        Assert.Equal(3, Snapshots(cluster).Values.Count(s => (string?)s["metadata"]!["labels"]!["backup-type"] == "pre-restore"));
    }

    [Fact]
    public async Task TheTableViewShowsClaimSnapshotClassStatusAndMessage()
    {
        var cluster = await StartClusterAsync();
        var script = Path.Combine(_directory, "render.ps1");
        File.WriteAllText(script, """
            param($ModuleManifest, $Kubeconfig)
            Import-Module $ModuleManifest -ErrorAction Stop
            New-KbVolumeSnapshot -Namespace prod -Kubeconfig $Kubeconfig -Wait -ErrorAction SilentlyContinue
            """);
        var shell = Path.Combine(Repo.Root, "tools", "KbShell", "bin", Repo.Configuration, "net10.0", "KbShell.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { shell, script, "-ModuleManifest", Repo.ModuleManifest, "-Kubeconfig", cluster.KubeconfigPath })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;

        Assert.True(process.ExitCode == 0, $"KbShell exited with {process.ExitCode}:\n{await stderr}\n{output}");
        Assert.Matches(@"Namespace\s+PVC\s+Snapshot\s+Class\s+Status\s+Message", output);
        Assert.Matches(@"prod\s+data-db-0\s+data-db-0-snap-\d{8}-\d{4}\s+csi-hostpath-snapclass\s+Ready", output);
        Assert.Matches(@"prod\s+shared\s+shared-snap-\d{8}-\d{4}\s+Failed\s+Claim prod/shared cannot", output);
    }

    [Fact]
    public async Task WhatIfListsEachSnapshotThatWouldBeCreatedAndCreatesNothing()
    {
        var cluster = await StartClusterAsync();

        var result = Session.Invoke("New-KbVolumeSnapshot -Namespace prod, billing -WhatIf");

        var whatIf = _host.Lines.Where(l => l.StartsWith("What if:", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, whatIf.Count);
        foreach (var (ns, pvc) in new[] { ("prod", "data-db-0"), ("prod", "uploads"), ("billing", "ledger") })
        {
            Assert.Contains(whatIf, l => Regex.IsMatch(l, $@"Create \(claim {pvc}, class csi-hostpath-snapclass\)"" on target ""VolumeSnapshot {ns}/{pvc}-snap-\d{{8}}-\d{{4}}"""));
        }
        // What cannot be taken is said even under -WhatIf; what would be created is not output.
        Assert.Equal("shared", Text(Assert.Single(result.Output), "PersistentVolumeClaim"));
        Assert.Equal("SnapshotClassNotFound", Id(result.SingleError()));
        Assert.Empty(Snapshots(cluster));
    }

    [Fact]
    public async Task NamesLongerThan253CharactersAreRefusedPerClaimAndNothingIsCreated()
    {
        var cluster = await StartClusterAsync();

        var result = Session.Invoke("New-KbVolumeSnapshot -Namespace prod -NameFormat ('{pvc}-' + 'x' * 250)");

        Assert.Equal(3, result.Output.Count);
        Assert.All(result.Output, o =>
        {
            Assert.Equal("Failed", Text(o, "Status"));
            Assert.Equal("SnapshotNameInvalid", Text(o, "ErrorId"));
            Assert.Contains("more than the 253", Text(o, "Message"), StringComparison.Ordinal);
        });
        Assert.Equal(3, result.Errors.Count);
        Assert.All(result.Errors, e =>
        {
            Assert.Equal("SnapshotNameInvalid", Id(e));
            Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category);
        });
        Assert.Empty(Snapshots(cluster));

        // Bad input stops the command before the cluster is asked (caught by try, which a non-terminating error is not).
        var format = Session.Invoke("try { New-KbVolumeSnapshot -Namespace prod -NameFormat '{pvc}-{when}'; 'went on' } catch { $_.FullyQualifiedErrorId }");
        Assert.Equal("SnapshotNameInvalid,KubeBackup.Commands.NewKbVolumeSnapshotCommand", Assert.Single(format.Output).ToString());
        var selector = Session.Invoke("try { New-KbVolumeSnapshot -Namespace prod -Selector 'tier in (db'; 'went on' } catch { $_.FullyQualifiedErrorId }");
        Assert.Equal("LabelSelectorInvalid,KubeBackup.Commands.NewKbVolumeSnapshotCommand", Assert.Single(selector.Output).ToString());
        Assert.Empty(Snapshots(cluster));
    }

    [Fact]
    public async Task AClusterWithoutTheSnapshotCrdsIsOneClearTerminatingError()
    {
        var cluster = await StartClusterAsync("--no-snapshot-crds");

        var result = Session.Invoke("New-KbVolumeSnapshot -AllNamespaces -Wait");

        Assert.Empty(result.Output);
        var error = result.SingleError();
        Assert.Equal("SnapshotApiMissing", Id(error));
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Contains("snapshot.storage.k8s.io/v1", error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("snapshot.storage.k8s.io/v1", Kubectl.Run(cluster.KubeconfigPath, "api-versions").Split('\n'));
        var stopped = Session.Invoke("try { New-KbVolumeSnapshot uploads -Namespace prod; 'went on' } catch { $_.FullyQualifiedErrorId }");
        Assert.Equal("SnapshotApiMissing,KubeBackup.Commands.NewKbVolumeSnapshotCommand", Assert.Single(stopped.Output).ToString());
    }

    [Fact]
    public async Task ASnapshotTheControllerFailsIsFailedWithTheControllersMessage()
    {
        var cluster = await StartClusterAsync("--snapshot-error", "prod/uploads-snap-*=rpc error: code = Internal desc = disk quota exceeded");

        var result = Session.Invoke("New-KbVolumeSnapshot -Namespace prod -Wait -Timeout 1m");

        Assert.Equal("Ready", Text(ResultOf(result, "prod", "data-db-0"), "Status"));
        var uploads = ResultOf(result, "prod", "uploads");
        Assert.Equal("Failed", Text(uploads, "Status"));
        Assert.Equal("SnapshotFailed", Text(uploads, "ErrorId"));
        Assert.Contains("disk quota exceeded", Text(uploads, "Message"), StringComparison.Ordinal);
        var error = Assert.Single(result.Errors, e => Id(e) == "SnapshotFailed");
        Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
        Assert.Contains("disk quota exceeded", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal($"prod/{Text(uploads, "Snapshot")}", error.TargetObject.ToString());
        Assert.Equal(["SnapshotClassNotFound", "SnapshotFailed"], result.Errors.Select(Id).Order());
        var live = Snapshots(cluster)[$"prod/{Text(uploads, "Snapshot")}"];
        Assert.Equal("rpc error: code = Internal desc = disk quota exceeded", (string?)live["status"]!["error"]!["message"]);
    }

    [Fact]
    public async Task ASnapshotNeverReadyTimesOutNamedInTheResultAndStopsARunbook()
    {
        await StartClusterAsync("--snapshot-never-ready", "prod/data-db-0-snap-*");

        var started = DateTime.UtcNow;
        var result = Session.Invoke("New-KbVolumeSnapshot -Namespace prod -Selector 'backup=enabled,!nothing' -Wait -Timeout 2s");
        var took = DateTime.UtcNow - started;

        Assert.True(took < TimeSpan.FromSeconds(30), $"Waiting took {took}, the timeout is 2 s.");
        var stuck = ResultOf(result, "prod", "data-db-0");
        Assert.Equal("TimedOut", Text(stuck, "Status"));
        Assert.Equal("SnapshotTimedOut", Text(stuck, "ErrorId"));
        Assert.Contains($"prod/{Text(stuck, "Snapshot")}", Text(stuck, "Message"), StringComparison.Ordinal);
        Assert.Contains("not ready to use after 2 s", Text(stuck, "Message"), StringComparison.Ordinal);
        Assert.Equal("Ready", Text(ResultOf(result, "prod", "uploads"), "Status"));
        var error = Assert.Single(result.Errors, e => Id(e) == "SnapshotTimedOut");
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);

        var stopped = Session.Invoke("try { New-KbVolumeSnapshot data-db-0 -Namespace prod -NameFormat '{pvc}-snap-again' -Wait -Timeout 1s -ErrorAction Stop; 'went on' } catch { 'stopped: ' + $_.FullyQualifiedErrorId }");
        // The result is written before its error, so the runbook has it when it stops.
        Assert.Equal(["TimedOut", "stopped: SnapshotTimedOut,KubeBackup.Commands.NewKbVolumeSnapshotCommand"], stopped.Output.Select(o => o.BaseObject is string text ? text : Text(o, "Status")));
    }
}
