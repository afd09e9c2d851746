using System.Diagnostics;
using System.Management.Automation;
using System.Text.Json.Nodes;
using KubeBackup.Module.Tests.Backups;
using KubeBackup.Module.Tests.Restores;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Failover;

/// <summary>
/// Issue 9 end to end through the hosted engine: a primary and a DR cluster (two emulator processes, one kubeconfig
/// with both contexts) and a shared S3 location (s3rver). Backup, Sync-KbStandby, Invoke-KbFailover, verify, failback,
/// and each bad input and fault of the issue; workloads read back with kubectl.
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class DisasterRecoveryTests : IClassFixture<S3rverFixture>, IAsyncLifetime, IDisposable
{
    private readonly string? _savedKeyId = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
    private readonly string? _savedSecret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
    private readonly IsolatedUserDirectories _user = new();
    private readonly RecordingHost _host = new();
    private readonly string _url;
    private EmulatorProcess? _primary;
    private EmulatorProcess? _dr;
    private PowerShellSession? _session;

    public DisasterRecoveryTests(S3rverFixture s3)
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", S3rverProcess.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", S3rverProcess.SecretKey);
        _url = s3.Server.Url($"dr-{Guid.NewGuid():N}");
    }

    private PowerShellSession Session => _session!;

    private EmulatorProcess Primary => _primary!;

    private EmulatorProcess Dr => _dr!;

    public Task InitializeAsync() => StartAsync();

    /// <summary>Starts the primary (the webapp fixture: Deployment web ×2, StatefulSet db ×1) and an empty DR cluster.</summary>
    private async Task StartAsync(params string[] drArguments)
    {
        _primary = await EmulatorProcess.StartAsync("primary", "--load", Path.Combine(Repo.Root, "tests", "fixtures", "webapp"));
        _dr = await EmulatorProcess.StartAsync("dr", drArguments);
        _session = PowerShellSession.Start(host: _host);
        // One kubeconfig holding both contexts, as an operator's would.
        Session.Invoke("$env:KUBECONFIG = $args[0]; $url = $args[1]", Primary.KubeconfigPath + Path.PathSeparator + Dr.KubeconfigPath, _url).ThrowIfErrors();
    }

    private async Task StopAsync()
    {
        _session?.Dispose();
        if (_primary is not null)
        {
            await _primary.DisposeAsync();
        }
        if (_dr is not null)
        {
            await _dr.DisposeAsync();
        }
    }

    public Task DisposeAsync() => StopAsync();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", _savedKeyId);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", _savedSecret);
        _user.Dispose();
    }

    private static string Text(PSObject o, string property) => o.Properties[property]?.Value?.ToString() ?? "";

    /// <summary>spec.replicas and the standby annotation of a webapp workload, as kubectl reads them.</summary>
    private static (int? Replicas, string? Annotation) Live(EmulatorProcess cluster, string kind, string name)
    {
        var item = JsonNode.Parse(Kubectl.Run(cluster.KubeconfigPath, "get", kind, name, "-n", "webapp", "-o", "json"))!;
        return ((int?)item["spec"]?["replicas"], (string?)item["metadata"]?["annotations"]?["original-replicas"]);
    }

    private static string Annotation(EmulatorProcess cluster, string ns, string annotation) =>
        Kubectl.Run(cluster.KubeconfigPath, "get", "namespace", ns, "-o", $"jsonpath={{.metadata.annotations.{annotation.Replace(".", "\\.", StringComparison.Ordinal)}}}");

    /// <summary>The items of a list property of a report (Steps, Changes, NotReady).</summary>
    private static IEnumerable<object> Items(PSObject report, string property) =>
        ((System.Collections.IEnumerable)report.Properties[property].Value).Cast<object>();

    private static Dictionary<string, string> Steps(PSObject report) =>
        Items(report, "Steps").Select(PSObject.AsPSObject).ToDictionary(s => Text(s, "Name"), s => Text(s, "Status"));

    /// <summary>Whether a script block set $global:touched: a step that must not have run did.</summary>
    private bool Touched() => (bool)Session.Invoke("[bool]$global:touched").Output.Single().BaseObject;

    private void BackUpPrimary(string name) =>
        Session.Invoke("New-KbBackup $args[0] -Context primary -StorageLocation $url -IncludeNamespace webapp", name).ThrowIfErrors();

    private PSObject Sync(string arguments = "") =>
        Assert.Single(Session.Invoke($"Sync-KbStandby -Context dr -StorageLocation $url {arguments}").ThrowIfErrors().Output);

    private PsResult Failover(string arguments) =>
        Session.Invoke($"Invoke-KbFailover -PrimaryContext primary -DrContext dr -Namespace webapp -Force {arguments}");

    [Fact]
    public void StandbySyncFailoverVerifyAndFailback()
    {
        BackUpPrimary("hourly-1");

        // Sync: the DR cluster holds the primary's workloads asleep, their counts recorded; the RPO is the backup's age.
        var sync = Sync();
        Assert.Equal("KubeBackup.Core.Failover.StandbySyncResult", sync.TypeNames[0]);
        Assert.Equal(("Synced", "hourly-1", "2"), (Text(sync, "Status"), Text(sync, "Backup"), Text(sync, "Workloads")));
        Assert.InRange((TimeSpan)sync.Properties["Rpo"].Value, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        Assert.Equal((0, "2"), Live(Dr, "deployment", "web"));
        Assert.Equal((0, "1"), Live(Dr, "statefulset", "db"));
        Assert.Equal("hourly-1", Annotation(Dr, "webapp", "kubebackup.io/standby-backup"));
        Assert.Equal((2, (string?)null), Live(Primary, "deployment", "web"));

        // The same backup again: nothing to do.
        Assert.Equal("UpToDate", Text(Sync(), "Status"));

        // The primary scales web to 3; the next hourly sync carries the new count, still asleep.
        Kubectl.Run(Primary.KubeconfigPath, "scale", "deployment", "web", "-n", "webapp", "--replicas=3");
        BackUpPrimary("hourly-2");
        Assert.Equal("Synced", Text(Sync(), "Status"));
        Assert.Equal((0, "3"), Live(Dr, "deployment", "web"));

        // Failover: checks, fence, user steps in order, scale-up, verify; the report measures RTO and RPO against Tier-2.
        var failover = Failover("-MaxDataLoss 1h -Tier Tier-2 -FencePrimary -PromoteStorage { $global:ran += @('storage:' + $args[0].DrContext) } -UpdateTraffic { param($f) $global:ran += @('traffic:' + ($f.Namespaces -join ',')) }").ThrowIfErrors();
        var report = Assert.Single(failover.Output);
        Assert.Equal("KubeBackup.Core.Failover.FailoverReport", report.TypeNames[0]);
        Assert.True((bool)report.Properties["Succeeded"].Value);
        Assert.Equal(
            ["CheckDrCluster=Succeeded", "CheckReplication=Succeeded", "FencePrimary=Succeeded", "PromoteStorage=Succeeded", "ScaleUp=Succeeded", "UpdateTraffic=Succeeded", "Verify=Succeeded"],
            Steps(report).Select(p => $"{p.Key}={p.Value}"));
        Assert.Equal(["storage:dr", "traffic:webapp"], Session.Invoke("$global:ran").Output.Select(o => o.ToString()));
        Assert.NotNull(report.Properties["Rto"].Value);
        Assert.InRange((TimeSpan)report.Properties["Rpo"].Value, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        Assert.Equal((true, true), ((bool)report.Properties["RtoMet"].Value, (bool)report.Properties["RpoMet"].Value));
        Assert.Equal("hourly-2", Text(report, "StandbyBackup"));
        Assert.Equal((3, (string?)null), Live(Dr, "deployment", "web"));
        Assert.Equal((1, (string?)null), Live(Dr, "statefulset", "db"));
        Assert.Equal((0, "3"), Live(Primary, "deployment", "web"));
        Assert.Equal((0, "1"), Live(Primary, "statefulset", "db"));
        var changes = Items(report, "Changes").Select(c => c.ToString()!).ToList();
        Assert.Contains(changes, c => c.StartsWith("Primary 'primary': Deployment webapp/web scaled from 3 to 0", StringComparison.Ordinal));
        Assert.Contains(changes, c => c.StartsWith("DR 'dr': Deployment webapp/web scaled from 0 to 3", StringComparison.Ordinal));
        Assert.Equal(report.Properties["Rto"].Value, Session.Invoke("$KbLastFailover.Rto").Output.Single().BaseObject);

        // The DR side serves now: the hourly sync must not put it back to sleep.
        BackUpPrimary("hourly-3");
        var refused = Session.Invoke("Sync-KbStandby -Context dr -StorageLocation $url");
        Assert.Equal("StandbyPromoted,KubeBackup.Commands.SyncKbStandbyCommand", refused.SingleError().FullyQualifiedErrorId);
        Assert.Equal((3, (string?)null), Live(Dr, "deployment", "web"));

        // Failback: the roles swapped. The DR side (now serving) is backed up and synced into the old primary...
        Session.Invoke("New-KbBackup back-1 -Context dr -StorageLocation $url -IncludeNamespace webapp").ThrowIfErrors();
        var back = Assert.Single(Session.Invoke("Sync-KbStandby back-1 -Context primary -StorageLocation $url").ThrowIfErrors().Output);
        Assert.Equal("Synced", Text(back, "Status"));
        Assert.Equal((0, "3"), Live(Primary, "deployment", "web"));

        // ...and failed over to, fencing the DR cluster.
        var failback = Session.Invoke("Invoke-KbFailover webapp -PrimaryContext dr -DrContext primary -FencePrimary -MaxDataLoss 1h -Force").ThrowIfErrors();
        Assert.True((bool)Assert.Single(failback.Output).Properties["Succeeded"].Value);
        Assert.Equal((3, (string?)null), Live(Primary, "deployment", "web"));
        Assert.Equal((1, (string?)null), Live(Primary, "statefulset", "db"));
        Assert.Equal((0, "3"), Live(Dr, "deployment", "web"));

        // Fenced, the DR cluster is a standby again, and the hourly sync from the primary goes on.
        BackUpPrimary("hourly-4");
        Assert.Equal("Synced", Text(Sync(), "Status"));
        Assert.Equal((0, "3"), Live(Dr, "deployment", "web"));
    }

    [Fact]
    public void WhatIfPrintsThePlanWithTheReplicaCountsAndChangesNothing()
    {
        Kubectl.Run(Primary.KubeconfigPath, "annotate", "deployment", "web", "-n", "webapp", "original-replicas=4");
        Kubectl.Run(Primary.KubeconfigPath, "scale", "deployment", "web", "-n", "webapp", "--replicas=0");

        var result = Session.Invoke("Invoke-KbFailover -DrContext primary -Namespace webapp -UpdateTraffic { $global:touched = $true } -WhatIf").ThrowIfErrors();

        var plan = Assert.Single(result.Output);
        Assert.True((bool)plan.Properties["WhatIf"].Value);
        Assert.False((bool)plan.Properties["Succeeded"].Value);
        var steps = Steps(plan);
        Assert.Equal(("Succeeded", "Planned", "Planned", "Skipped"), (steps["CheckDrCluster"], steps["ScaleUp"], steps["UpdateTraffic"], steps["PromoteStorage"]));
        var whatIf = _host.Lines.Where(l => l.StartsWith("What if:", StringComparison.Ordinal)).ToList();
        Assert.Contains(whatIf, l => l.Contains("Scale from 0 to 4 (original-replicas)", StringComparison.Ordinal) && l.Contains("Deployment webapp/web in cluster 'primary'", StringComparison.Ordinal));
        Assert.Contains(whatIf, l => l.Contains("Would run the -UpdateTraffic script block", StringComparison.Ordinal));
        Assert.Contains(whatIf, l => l.Contains("Would wait up to 10m", StringComparison.Ordinal));
        Assert.Equal((0, "4"), Live(Primary, "deployment", "web"));
        Assert.False(Touched(), "A later step ran.");
    }

    [Fact]
    public void AWorkloadWithoutTheAnnotationIsSkippedWithAWarningOrScaledToDefaultReplicas()
    {
        Kubectl.Run(Primary.KubeconfigPath, "scale", "deployment", "web", "-n", "webapp", "--replicas=0");

        var skipped = Session.Invoke("Invoke-KbFailover -DrContext primary -Namespace webapp -Force").ThrowIfErrors();
        Assert.Contains(skipped.Warnings, w => w.Contains("Deployment webapp/web is at 0 replicas and has no original-replicas annotation", StringComparison.Ordinal));
        Assert.Equal((0, (string?)null), Live(Primary, "deployment", "web"));
        // The StatefulSet, running without an annotation, was left as it is and verified.
        var db = Assert.Single(Session.Invoke("$KbLastFailover.Workloads | Where-Object Name -eq db").Output);
        Assert.Equal(("Running", "True"), (Text(db, "Action"), Text(db, "Ready")));

        Session.Invoke("Invoke-KbFailover -DrContext primary -Namespace webapp -DefaultReplicas 2 -Force").ThrowIfErrors();
        Assert.Equal((2, (string?)null), Live(Primary, "deployment", "web"));
    }

    [Fact]
    public void ANonNumericAnnotationStopsTheFailoverBeforeAnyChange()
    {
        Kubectl.Run(Primary.KubeconfigPath, "annotate", "deployment", "web", "-n", "webapp", "original-replicas=two");
        Kubectl.Run(Primary.KubeconfigPath, "annotate", "statefulset", "db", "-n", "webapp", "original-replicas=3");
        Kubectl.Run(Primary.KubeconfigPath, "scale", "statefulset", "db", "-n", "webapp", "--replicas=0");

        var result = Session.Invoke("Invoke-KbFailover -DrContext primary -Namespace webapp -Force -UpdateTraffic { $global:touched = $true }");

        var error = result.SingleError();
        Assert.Equal("StandbyAnnotationInvalid,KubeBackup.Commands.InvokeKbFailoverCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains("annotation original-replicas is 'two'", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", error.Exception.Message, StringComparison.Ordinal);
        var report = Assert.Single(result.Output);
        Assert.Equal("Failed", Steps(report)["CheckDrCluster"]);
        Assert.Equal("NotRun", Steps(report)["ScaleUp"]);
        Assert.Equal((0, "3"), Live(Primary, "statefulset", "db"));
        Assert.False(Touched(), "A later step ran.");
    }

    [Fact]
    public async Task AnUnreachableDrClusterStopsBeforeAnythingIsChanged()
    {
        // The DR cluster's server goes away; its context stays in the kubeconfig.
        var kubeconfig = Path.Combine(_user.Root, "dr-gone.kubeconfig");
        File.Copy(Dr.KubeconfigPath, kubeconfig);
        Session.Invoke("$env:KUBECONFIG = $args[0]", Primary.KubeconfigPath + Path.PathSeparator + kubeconfig).ThrowIfErrors();
        await Dr.DisposeAsync();
        _dr = null;
        Kubectl.Run(Primary.KubeconfigPath, "annotate", "deployment", "web", "-n", "webapp", "original-replicas=2");

        var result = Failover("-FencePrimary -PromoteStorage { $global:touched = $true }");

        var error = result.SingleError();
        Assert.Equal("ClusterUnreachable,KubeBackup.Commands.InvokeKbFailoverCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains("Nothing was changed", error.Exception.Message, StringComparison.Ordinal);
        var report = Assert.Single(result.Output);
        Assert.Equal(["Failed", "NotRun", "NotRun", "NotRun", "NotRun", "NotRun", "NotRun"], Steps(report).Values);
        // The primary was not fenced: the fence comes after the checks.
        Assert.Equal((2, "2"), Live(Primary, "deployment", "web"));
        Assert.False(Touched(), "A later step ran.");
    }

    [Fact]
    public void TooMuchDataLossOrAStandbyNeverSyncedStopsBeforeAnyChange()
    {
        Kubectl.Run(Dr.KubeconfigPath, "create", "namespace", "webapp");

        var never = Failover("-MaxDataLoss 1h");
        Assert.Equal("DataLossExceeded,KubeBackup.Commands.InvokeKbFailoverCommand", never.SingleError().FullyQualifiedErrorId);
        Assert.Contains("Sync-KbStandby never completed there", never.SingleError().Exception.Message, StringComparison.Ordinal);

        Kubectl.Run(Dr.KubeconfigPath, "annotate", "namespace", "webapp", "kubebackup.io/standby-data-time=2020-01-01T00:00:00Z", "kubebackup.io/standby-backup=old");
        var old = Failover("-MaxDataLoss 1h -FencePrimary");
        var error = old.SingleError();
        Assert.Equal("DataLossExceeded,KubeBackup.Commands.InvokeKbFailoverCommand", error.FullyQualifiedErrorId);
        Assert.Contains("more than -MaxDataLoss 1h", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal((2, (string?)null), Live(Primary, "deployment", "web"));

        // The plan says so too, and still shows the rest.
        var plan = Session.Invoke("Invoke-KbFailover -PrimaryContext primary -DrContext dr -Namespace webapp -MaxDataLoss 1h -WhatIf");
        Assert.Contains("The failover would stop at CheckReplication", plan.SingleError().Exception.Message, StringComparison.Ordinal);
        Assert.Equal("Planned", Steps(Assert.Single(plan.Output))["Verify"]);

        // Your own check: $false stops, a TimeSpan is the RPO.
        var refused = Failover("-ReplicationCheck { $false }");
        Assert.Contains("-ReplicationCheck script block failed: it returned $false", refused.SingleError().Exception.Message, StringComparison.Ordinal);
        var measured = Failover("-ReplicationCheck { [TimeSpan]::FromMinutes(7) } -Tier Tier-1").ThrowIfErrors();
        var report = Assert.Single(measured.Output);
        Assert.Equal(TimeSpan.FromMinutes(7), report.Properties["Rpo"].Value);
        Assert.False((bool)report.Properties["RpoMet"].Value);
    }

    [Fact]
    public void AUserStepThatThrowsStopsTheFailoverAndTheReportSaysHowToResume()
    {
        BackUpPrimary("hourly-1");
        Sync();

        var result = Failover("-FencePrimary -PromoteStorage { throw 'the storage array did not answer' } -UpdateTraffic { $global:touched = $true }");

        var error = result.SingleError();
        Assert.Equal("FailoverStepFailed,KubeBackup.Commands.InvokeKbFailoverCommand", error.FullyQualifiedErrorId);
        Assert.Contains("The -PromoteStorage script block failed: the storage array did not answer", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("-ResumeFrom PromoteStorage", error.Exception.Message, StringComparison.Ordinal);
        var report = Assert.Single(result.Output);
        Assert.Equal(["Succeeded", "Succeeded", "Succeeded", "Failed", "NotRun", "NotRun", "NotRun"], Steps(report).Values);
        Assert.Equal("PromoteStorage", Text(PSObject.AsPSObject(report.Properties["FailedStep"].Value), "Name"));
        Assert.Equal((0, "2"), Live(Primary, "deployment", "web"));
        Assert.Equal((0, "2"), Live(Dr, "deployment", "web"));
        Assert.False(Touched(), "A later step ran.");

        var resumed = Failover("-ResumeFrom PromoteStorage -PromoteStorage { $global:promoted = $true } -UpdateTraffic { $global:touched = $true }").ThrowIfErrors();
        var done = Assert.Single(resumed.Output);
        Assert.True((bool)done.Properties["Succeeded"].Value);
        Assert.Equal(("Succeeded", "Skipped", "Skipped"), (Steps(done)["CheckDrCluster"], Steps(done)["CheckReplication"], Steps(done)["FencePrimary"]));
        Assert.Equal((2, (string?)null), Live(Dr, "deployment", "web"));
        Assert.True((bool)Session.Invoke("$global:promoted -and $global:touched").Output.Single().BaseObject);
    }

    [Fact]
    public async Task WorkloadsThatNeverBecomeReadyTimeOutAndAreListed()
    {
        await StopAsync();
        await StartAsync("--workload-never-ready", "webapp/web");
        BackUpPrimary("hourly-1");
        Sync();

        var result = Failover("-Timeout 2s");

        var error = result.SingleError();
        Assert.Equal("WorkloadsNotReady,KubeBackup.Commands.InvokeKbFailoverCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        Assert.Contains("1 of 2 workload(s) not ready after 2s: Deployment webapp/web (0/2)", error.Exception.Message, StringComparison.Ordinal);
        var report = Assert.Single(result.Output);
        Assert.Equal("Failed", Steps(report)["Verify"]);
        Assert.Equal(["Deployment webapp/web (0/2)"], Items(report, "NotReady").Select(o => o.ToString()));
        Assert.Null(report.Properties["Rto"].Value);
        Assert.Equal((2, (string?)null), Live(Dr, "deployment", "web"));
    }

    [Fact]
    public async Task CtrlCMidFailoverLeavesTheReportOfWhatWasDone()
    {
        BackUpPrimary("hourly-1");
        Sync();
        var started = Path.Combine(_user.Root, "promoting");

        // The script block runs in the caller's scope, so it sees $started.
        using var ps = Session.BeginInvoke(
            "$started = $args[0]; Invoke-KbFailover -PrimaryContext primary -DrContext dr -Namespace webapp -Force -FencePrimary -PromoteStorage { [IO.File]::WriteAllText($started, 'x'); while ($true) { [Threading.Thread]::Sleep(20) } }",
            out var pending, started);
        for (var i = 0; i < 600 && !File.Exists(started); i++)
        {
            await Task.Delay(50);
        }
        Assert.True(File.Exists(started), "The -PromoteStorage step never started.");

        ps.Stop();

        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        var report = Assert.Single(Session.Invoke("$KbLastFailover").ThrowIfErrors().Output);
        Assert.True(report is not null, "$KbLastFailover is empty; the host printed: " + string.Join("\n", _host.Lines));
        Assert.Equal(["Succeeded", "Succeeded", "Succeeded", "Stopped", "NotRun", "NotRun", "NotRun"], Steps(report).Values);
        Assert.Contains("-ResumeFrom PromoteStorage", Text(report, "Resume"), StringComparison.Ordinal);
        var changes = Items(report, "Changes").Select(c => c.ToString()!).ToList();
        Assert.Contains(changes, c => c.StartsWith("Primary 'primary': Deployment webapp/web scaled from 2 to 0", StringComparison.Ordinal));
        Assert.Contains(_host.Lines, l => l.Contains("Stopped by the user during PromoteStorage", StringComparison.Ordinal));
        Assert.Equal((0, "2"), Live(Dr, "deployment", "web"));
    }

    [Fact]
    public void ANamespaceMissingInTheDrClusterOrAnUnknownContextStopsBeforeAnyChange()
    {
        var missing = Session.Invoke("Invoke-KbFailover -DrContext dr -Namespace nope -Force");
        Assert.Equal(("NamespaceNotFound,KubeBackup.Commands.InvokeKbFailoverCommand", ErrorCategory.ObjectNotFound),
            (missing.SingleError().FullyQualifiedErrorId, missing.SingleError().CategoryInfo.Category));
        Assert.Contains("Nothing was changed", missing.SingleError().Exception.Message, StringComparison.Ordinal);

        var unknown = Session.Invoke("Invoke-KbFailover -DrContext elsewhere -Namespace webapp -Force");
        Assert.Equal(("ContextNotFound,KubeBackup.Commands.InvokeKbFailoverCommand", ErrorCategory.ObjectNotFound),
            (unknown.SingleError().FullyQualifiedErrorId, unknown.SingleError().CategoryInfo.Category));
        Assert.Equal("Failed", Steps(Assert.Single(unknown.Output))["CheckDrCluster"]);
    }

    [Fact]
    public void FencePrimaryNeedsThePrimaryContext()
    {
        var result = Session.Invoke("Invoke-KbFailover -DrContext dr -Namespace webapp -FencePrimary -Force");

        var error = result.SingleError();
        Assert.Equal("PrimaryContextRequired,KubeBackup.Commands.InvokeKbFailoverCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("-FencePrimary needs -PrimaryContext", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SyncBadInputsAndWhatIf()
    {
        var empty = Session.Invoke("Sync-KbStandby -Context dr -StorageLocation $url");
        Assert.Equal("NoBackupToRestore,KubeBackup.Commands.SyncKbStandbyCommand", empty.SingleError().FullyQualifiedErrorId);

        BackUpPrimary("hourly-1");
        var missing = Session.Invoke("Sync-KbStandby nope -Context dr -StorageLocation $url");
        Assert.Equal("BackupNotFound,KubeBackup.Commands.SyncKbStandbyCommand", missing.SingleError().FullyQualifiedErrorId);
        var nothing = Session.Invoke("Sync-KbStandby -Context dr -StorageLocation $url -Namespace 'shop*'");
        var error = nothing.SingleError();
        Assert.Equal("StandbyNothingToSync,KubeBackup.Commands.SyncKbStandbyCommand", error.FullyQualifiedErrorId);
        Assert.Contains("it holds webapp", error.Exception.Message, StringComparison.Ordinal);

        var plan = Assert.Single(Session.Invoke("Get-KbBackup -StorageLocation $url | Sync-KbStandby -Context dr -Namespace 'web*' -WhatIf").ThrowIfErrors().Output);
        Assert.Equal(("Planned", "hourly-1", "webapp"), (Text(plan, "Status"), Text(plan, "Backup"), string.Join(",", (IEnumerable<string>)plan.Properties["Namespaces"].Value)));
        Assert.Contains(_host.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal) && l.Contains("Sync in standby form from backup 'hourly-1'", StringComparison.Ordinal));
        Assert.DoesNotContain("webapp", Kubectl.Run(Dr.KubeconfigPath, "get", "namespaces", "-o", "name"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheViewsShowTheSyncTheReportItsStepsAndWorkloads()
    {
        var shell = Path.Combine(Repo.Root, "tools", "KbShell", "bin", Repo.Configuration, "net10.0", "KbShell.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { shell, Path.Combine(AppContext.BaseDirectory, "Scripts", "RenderFailover.ps1"), "-ModuleManifest", Repo.ModuleManifest,
            "-Kubeconfig", Primary.KubeconfigPath + Path.PathSeparator + Dr.KubeconfigPath, "-Url", _url })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["KUBEBACKUP_CONFIG_DIR"] = _user.ConfigDirectory;
        start.Environment["KUBEBACKUP_DATA_DIR"] = _user.DataDirectory;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var output = (await stdout).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(process.ExitCode == 0 && output.Contains("== end", StringComparison.Ordinal), $"KbShell exited with {process.ExitCode}:\n{await stderr}\n{output}");

        string Section(string name, string next) => output[output.IndexOf($"== {name}", StringComparison.Ordinal)..output.IndexOf($"== {next}", StringComparison.Ordinal)];
        var sync = Section("sync", "report");
        Assert.Matches(@"Status\s+Backup\s+DataTime \(UTC\)\s+RPO\s+Workloads\s+Namespaces", sync);
        Assert.Matches(@"Synced\s+render\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\d+(ms|s)\s+2\s+webapp", sync);
        var report = Section("report", "steps");
        Assert.Matches(@"Failover\s+: primary -> dr \(webapp\)", report);
        Assert.Matches(@"Result\s+: Succeeded", report);
        Assert.Matches(@"RTO\s+: \d+(ms|s)\s+\(Tier-2 target 1h: met\)", report);
        Assert.Matches(@"RPO\s+: \d+(ms|s)\s+\(Tier-2 target 1h: met\)", report);
        Assert.Matches(@"Steps\s+: CheckDrCluster\s+Succeeded\s+\d+\.\ds", report);
        Assert.Matches(@"PromoteStorage\s+Skipped\s+\d+\.\ds No -PromoteStorage script block given\.", report);
        Assert.Matches(@"Deployment webapp/web: ScaleUp 0 -> 2, ready 2/2", report);
        Assert.Matches(@"Changes\s+: DR 'dr': ", report);
        Assert.DoesNotMatch(@"Resume\s+:", report);
        var steps = Section("steps", "workloads");
        Assert.Matches(@"Step\s+Status\s+Duration\s+Message", steps);
        Assert.Matches(@"Verify\s+Succeeded\s+\d+\.\ds\s+2 workload\(s\) ready", steps);
        var workloads = Section("workloads", "end");
        Assert.Matches(@"Namespace\s+Kind\s+Name\s+From\s+To\s+Action\s+Ready\s+Message", workloads);
        Assert.Matches(@"webapp\s+StatefulSet\s+db\s+0\s+1\s+ScaleUp\s+1/1", workloads);
    }
}
