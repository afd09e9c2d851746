using System.Management.Automation;
using System.Text.Json.Nodes;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Restores;

/// <summary>Restore-KbBackup and the restore records through the hosted engine, against an emulator holding the webapp fixture.</summary>
[Collection(ModuleCollection.Name)]
public sealed class RestoreKbBackupTests : IAsyncLifetime, IDisposable
{
    private readonly IsolatedUserDirectories _user = new();
    private EmulatorProcess? _cluster;
    private PowerShellSession? _session;

    private EmulatorProcess Cluster => _cluster!;

    private PowerShellSession Session => _session!;

    private static string WebApp => Path.Combine(Repo.Root, "tests", "fixtures", "webapp");

    public async Task InitializeAsync()
    {
        _cluster = await EmulatorProcess.StartAsync("prod", "--load", WebApp);
        _session = PowerShellSession.Start();
        Session.Invoke("$env:KUBECONFIG = $args[0]", Cluster.KubeconfigPath).ThrowIfErrors();
        Session.Invoke("New-KbBackup webapp-1").ThrowIfErrors();
    }

    public async Task DisposeAsync()
    {
        _session?.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    public void Dispose() => _user.Dispose();

    private JsonObject Get(string resource, string? ns, string name) =>
        JsonNode.Parse(Kubectl.Run(Cluster.KubeconfigPath, ns is null ? ["get", resource, name, "-o", "json"] : ["get", resource, name, "-n", ns, "-o", "json"]))!.AsObject();

    private bool Exists(string resource, string ns, string name) =>
        Kubectl.Run(Cluster.KubeconfigPath, "get", resource, "-n", ns, "--ignore-not-found", "-o", "name").Split('\n').Any(l => l.EndsWith("/" + name, StringComparison.Ordinal));

    [Fact]
    public void ARoundTripBringsTheApplicationBackWithNoDifferencesBeyondTheResetFields()
    {
        Kubectl.Run(Cluster.KubeconfigPath, "delete", "namespace", "webapp", "--wait=true", "--timeout=60s");
        Kubectl.Run(Cluster.KubeconfigPath, "delete", "crd", "databases.example.com");
        Assert.False(Exists("configmaps", "webapp", "web-config"));

        var result = Session.Invoke("Restore-KbBackup webapp-1 -RestoreName back -Verbose").ThrowIfErrors();

        var restore = Assert.Single(result.Output);
        Assert.Equal("KubeBackup.Core.Restore.RestoreSummary", restore.TypeNames[0]);
        Assert.Equal("Completed", restore.Properties["Phase"].Value.ToString());
        Assert.Equal(0L, restore.Properties["Failed"].Value);
        Assert.NotEmpty(result.Progress);
        foreach (var (resource, name) in new[] { ("deployments", "web"), ("statefulsets", "db"), ("services", "web-public"), ("ingresses", "web"), ("rolebindings", "web"), ("persistentvolumeclaims", "uploads"), ("databases.example.com", "orders"), ("secrets", "db-credentials") })
        {
            var restored = Get(resource, "webapp", name);
            Assert.Equal("back", (string?)restored["metadata"]!["labels"]!["kubebackup.io/restore-name"]);
        }

        var drift = Session.Invoke("Compare-KbBackup webapp-1 -IncludeNamespace webapp").ThrowIfErrors();
        Assert.True(drift.Output.Count == 0, "Differences after the round trip: " + string.Join("; ", drift.Output.Select(d => $"{d.Properties["Change"].Value} {d.Properties["Resource"].Value} {d.Properties["Name"].Value} {string.Join(",", ((System.Collections.IEnumerable)d.Properties["Changes"].Value).Cast<object>())}")));
    }

    [Fact]
    public void TheWhatIfPlanFromThePipelineReadsTheLiveClusterAndWritesNothing()
    {
        Kubectl.Run(Cluster.KubeconfigPath, "delete", "configmap", "web-config", "-n", "webapp");
        Kubectl.Run(Cluster.KubeconfigPath, "scale", "deployment", "web", "-n", "webapp", "--replicas=5");

        var plan = Session.Invoke("(Get-KbBackup -Phase Completed)[0] | Restore-KbBackup -WhatIf").ThrowIfErrors();
        var planOnly = Session.Invoke("Restore-KbBackup webapp-1 -PlanOnly -ExistingResourcePolicy Update").ThrowIfErrors();

        PSObject Item(PsResult r, string resource, string name) =>
            r.Output.Single(o => (string)o.Properties["Resource"].Value == resource && (string)o.Properties["Name"].Value == name && (string?)o.Properties["TargetNamespace"].Value == "webapp");
        Assert.Equal("Create", Item(plan, "configmaps", "web-config").Properties["Action"].Value.ToString());
        Assert.Equal("SkipExistsDiffers", Item(plan, "deployments", "web").Properties["Action"].Value.ToString());
        Assert.Contains("spec.replicas", (IEnumerable<string>)Item(plan, "deployments", "web").Properties["ChangedFields"].Value);
        Assert.Equal("SkipExistsEqual", Item(plan, "services", "web").Properties["Action"].Value.ToString());
        Assert.Equal("Update", Item(planOnly, "deployments", "web").Properties["Action"].Value.ToString());
        Assert.All(plan.Output, o => Assert.Null(o.Properties["Outcome"].Value));
        Assert.False(Exists("configmaps", "webapp", "web-config"));
        Assert.Equal(5, (int?)Get("deployments", "webapp", "web")["spec"]!["replicas"]);
        Assert.Empty(Session.Invoke("Get-KbRestore").ThrowIfErrors().Output);
    }

    [Fact]
    public void AMappedRestoreCreatesTheNamespaceAndFollowsTheMappingInBindings()
    {
        var result = Session.Invoke("Restore-KbBackup webapp-1 -IncludeNamespace webapp -NamespaceMapping @{ webapp = 'webapp-restored' } -RestoreName mapped").ThrowIfErrors();

        Assert.Equal("Completed", Assert.Single(result.Output).Properties["Phase"].Value.ToString());
        var binding = Get("rolebindings", "webapp-restored", "web");
        Assert.Equal("webapp-restored", (string?)binding["subjects"]![0]!["namespace"]);
        Assert.Equal("webapp-restored", (string?)Get("namespaces", null, "webapp-restored")["metadata"]!["name"]);
        Assert.True(Exists("databases.example.com", "webapp-restored", "orders"));
        var items = Session.Invoke("Get-KbRestoreItem mapped -Outcome Created -Resource configmaps").ThrowIfErrors();
        Assert.Contains(items.Output, i => (string)i.Properties["Name"].Value == "web-config" && (string?)i.Properties["Namespace"].Value == "webapp");
    }

    [Fact]
    public void RestoresAreListedWithTheirItemsAndLogs()
    {
        Session.Invoke("Restore-KbBackup webapp-1 -RestoreName again").ThrowIfErrors();

        var listed = Session.Invoke("Get-KbRestore").ThrowIfErrors();
        var restore = Assert.Single(listed.Output);
        Assert.Equal("again", restore.Properties["Name"].Value);
        Assert.Equal("webapp-1", restore.Properties["BackupName"].Value);
        Assert.Equal(0L, restore.Properties["Created"].Value);
        Assert.True((long)restore.Properties["Skipped"].Value > 10);
        var skipped = Session.Invoke("Get-KbRestore again | Get-KbRestoreItem -Outcome Skipped").ThrowIfErrors();
        Assert.Contains(skipped.Output, i => (string?)i.Properties["Reason"].Value == "Exists and equals the backup.");
        var log = Session.Invoke("Get-KbRestoreLog again").ThrowIfErrors();
        Assert.Contains(log.Output, l => l.Properties["Message"].Value.ToString()!.Contains("Completed", StringComparison.Ordinal));
        Assert.Equal(["again"], Session.Invoke("Get-KbRestore -BackupName 'webapp-*' -Phase Completed").ThrowIfErrors().Output.Select(o => (string)o.Properties["Name"].Value));
    }

    [Fact]
    public void LatestTakesTheNewestBackupOrTheNewestOfASchedule()
    {
        Session.Invoke("New-KbBackup hourly-1 -IncludeNamespace webapp -Label @{ 'kubebackup.io/schedule-name' = 'hourly' }").ThrowIfErrors();
        Session.Invoke("New-KbBackup adhoc -IncludeNamespace webapp").ThrowIfErrors();

        var latest = Session.Invoke("Restore-KbBackup -Latest -RestoreName latest").ThrowIfErrors();
        var ofSchedule = Session.Invoke("Restore-KbBackup -Latest -Schedule hourly -RestoreName scheduled").ThrowIfErrors();
        var none = Session.Invoke("Restore-KbBackup -Latest -Schedule weekly");

        Assert.Equal("adhoc", Assert.Single(latest.Output).Properties["BackupName"].Value);
        Assert.Equal("hourly-1", Assert.Single(ofSchedule.Output).Properties["BackupName"].Value);
        var error = none.AllErrors.Single();
        Assert.Equal("NoBackupToRestore", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Contains("weekly", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadInputGetsClearErrorsAndChangesNothing()
    {
        var missing = Session.Invoke("Restore-KbBackup nope");
        Assert.Equal("BackupNotFound", missing.AllErrors.Single().FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.AllErrors.Single().CategoryInfo.Category);

        var mapping = Session.Invoke("Restore-KbBackup webapp-1 -NamespaceMapping @{ webapp = 'Not_A_Namespace' }");
        var error = mapping.AllErrors.Single();
        Assert.Equal("NamespaceMappingInvalid", error.FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("Not_A_Namespace", error.Exception.Message, StringComparison.Ordinal);

        var none = Session.Invoke("Restore-KbBackup");
        Assert.Equal("RestoreSpecInvalid", none.AllErrors.Single().FullyQualifiedErrorId.Split(',')[0]);
        var unknown = Session.Invoke("Get-KbRestore nope; Get-KbRestoreItem nope; Get-KbRestoreLog nope");
        Assert.Equal(3, unknown.AllErrors.Count(e => e.FullyQualifiedErrorId.StartsWith("RestoreNotFound", StringComparison.Ordinal)));

        Assert.Empty(Session.Invoke("Get-KbRestore").ThrowIfErrors().Output);
    }

    [Fact]
    public async Task CtrlCRecordsAFailedRestoreAndRunningItAgainConverges()
    {
        // The first three config map creates hang for 20 s: the restore is stopped while it waits for them.
        await using var slow = await EmulatorProcess.StartAsync("slow", "--fault", "delay=20000:create:configmaps:3");
        using var waiting = new ManualResetEventSlim();
        using var ps = Session.BeginInvoke("Restore-KbBackup webapp-1 -Kubeconfig $args[0] -RestoreName stopped", out var pending, slow.KubeconfigPath);
        ps.Streams.Progress.DataAdded += (_, e) =>
        {
            if (ps.Streams.Progress[e.Index].StatusDescription.StartsWith("1 of", StringComparison.Ordinal))
            {
                waiting.Set();
            }
        };
        Assert.True(waiting.Wait(TimeSpan.FromSeconds(60)), "The restore never reported restoring an item.");
        await Task.Delay(1000);

        ps.Stop();

        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        var stopped = Assert.Single(Session.Invoke("Get-KbRestore stopped").ThrowIfErrors().Output);
        Assert.Equal("Failed", stopped.Properties["Phase"].Value.ToString());
        Assert.StartsWith("Cancelled after", (string)stopped.Properties["FailureReason"].Value, StringComparison.Ordinal);

        var again = Session.Invoke("Restore-KbBackup webapp-1 -Kubeconfig $args[0] -RestoreName again", slow.KubeconfigPath).ThrowIfErrors();
        Assert.Equal("Completed", Assert.Single(again.Output).Properties["Phase"].Value.ToString());
        var configMaps = Kubectl.Run(slow.KubeconfigPath, "get", "configmaps", "-n", "webapp", "-o", "name").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(configMaps, c => c == "configmap/web-config");
    }

    [Fact]
    public async Task ThrottlingAndServerErrorsMidRestoreAreRetried()
    {
        await using var flaky = await EmulatorProcess.StartAsync("flaky", "--fault", "throttle:create:configmaps:2", "--fault", "error:create:secrets:2");

        var result = Session.Invoke("Restore-KbBackup webapp-1 -Kubeconfig $args[0] -RestoreName flaky", flaky.KubeconfigPath).ThrowIfErrors();

        Assert.Equal("Completed", Assert.Single(result.Output).Properties["Phase"].Value.ToString());
        var secrets = Kubectl.Run(flaky.KubeconfigPath, "get", "secrets", "-n", "webapp", "-o", "name");
        Assert.Contains("secret/db-credentials", secrets, StringComparison.Ordinal);
    }
}
