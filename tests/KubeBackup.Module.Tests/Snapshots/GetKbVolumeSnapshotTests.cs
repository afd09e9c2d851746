using System.Diagnostics;
using System.Text.Json.Nodes;
using KubeBackup.Module.Tests.Support;
using static KubeBackup.Module.Tests.Snapshots.SnapshotCluster;

namespace KubeBackup.Module.Tests.Snapshots;

/// <summary>Get-KbVolumeSnapshot and Remove-KbVolumeSnapshot through the hosted engine, against the emulator's snapshot controller.</summary>
[Collection(ModuleCollection.Name)]
public sealed class GetKbVolumeSnapshotTests : IAsyncLifetime
{
    private SnapshotCluster _cluster = null!;

    private PowerShellSession Session => _cluster.Session;

    public async Task InitializeAsync()
    {
        _cluster = await StartAsync();
        await _cluster.ClaimsAsync(("prod", "data-db-0"), ("prod", "uploads"), ("staging", "data-db-0"), ("default", "scratch"));
        await _cluster.SnapshotsAsync(
            ("prod", "db-daily-1", "data-db-0", "daily"),
            ("prod", "uploads-daily-1", "uploads", "daily"),
            ("prod", "db-manual", "data-db-0", null),
            ("staging", "db-daily-1", "data-db-0", "daily"),
            ("default", "scratch-hourly-1", "scratch", "hourly"));
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private List<string> Complete(string line) =>
        [.. Session.Invoke("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches | ForEach-Object CompletionText", line)
            .ThrowIfErrors().Output.Select(o => o.ToString())];

    [Fact]
    public void SnapshotAndClaimNamesCompleteInTheNamespacesTyped()
    {
        Assert.Equal(["db-daily-1", "db-manual"], Complete("Get-KbVolumeSnapshot -Namespace prod db-"));
        Assert.Equal(["scratch-hourly-1"], Complete("Remove-KbVolumeSnapshot scr"));
        Assert.Equal(["db-daily-1", "db-manual"], Complete("Get-KbVolumeSnapshot -AllNamespaces db-").Order(StringComparer.Ordinal));
        Assert.Equal(["uploads"], Complete("Get-KbVolumeSnapshot -Namespace prod -SourcePvc up"));
        Assert.Equal(["data-db-0"], Complete("New-KbVolumeSnapshot -Namespace staging -PersistentVolumeClaim da"));
    }

    [Fact]
    public void TheContextsNamespaceIsReadByDefaultAndOthersOnRequest()
    {
        var byDefault = Session.Invoke("Get-KbVolumeSnapshot").ThrowIfErrors();
        var prod = Session.Invoke("Get-KbVolumeSnapshot -Namespace prod").ThrowIfErrors();
        var all = Session.Invoke("Get-KbVolumeSnapshot -AllNamespaces").ThrowIfErrors();

        Assert.Equal(["default/scratch-hourly-1"], Keys(byDefault));
        Assert.Equal(["prod/db-daily-1", "prod/db-manual", "prod/uploads-daily-1"], Keys(prod).Order(StringComparer.Ordinal));
        Assert.Equal(5, all.Output.Count);
        var snapshot = byDefault.Output.Single();
        Assert.Equal("KubeBackup.Core.Snapshots.VolumeSnapshotInfo", snapshot.TypeNames[0]);
        Assert.Equal("Ready", Text(snapshot, "State"));
        Assert.Equal("scratch", Text(snapshot, "SourcePvc"));
        Assert.Equal("1Gi", Text(snapshot, "RestoreSize"));
        Assert.Equal("csi-hostpath-snapclass", Text(snapshot, "SnapshotClass"));
        Assert.Equal("hourly", Text(snapshot, "BackupType"));
        var created = all.Output.Select(o => (DateTimeOffset)o.Properties["Created"].Value).ToList();
        Assert.Equal(created.Order(), created);
    }

    [Fact]
    public void SnapshotsAreSelectedByLabelSourceClaimAndName()
    {
        Assert.Equal(["prod/db-daily-1", "prod/uploads-daily-1", "staging/db-daily-1"],
            Keys(Session.Invoke("Get-KbVolumeSnapshot -AllNamespaces -Selector backup-type=daily").ThrowIfErrors()).Order(StringComparer.Ordinal));
        Assert.Equal(["prod/db-daily-1", "prod/db-manual"],
            Keys(Session.Invoke("Get-KbVolumeSnapshot -Namespace prod -SourcePvc 'data-*'").ThrowIfErrors()).Order(StringComparer.Ordinal));
        Assert.Equal(["prod/db-daily-1", "staging/db-daily-1"],
            Keys(Session.Invoke("Get-KbVolumeSnapshot 'DB-DAILY-*' -Namespace prod, staging").ThrowIfErrors()).Order(StringComparer.Ordinal));
        Assert.Empty(Session.Invoke("Get-KbVolumeSnapshot 'nothing-*' -AllNamespaces").ThrowIfErrors().Output);
    }

    [Fact]
    public void APlainNameThatMatchesNothingIsSnapshotNotFoundAndTheRestIsStillListed()
    {
        var result = Session.Invoke("Get-KbVolumeSnapshot db-manual, db-weekly -Namespace prod");

        Assert.Equal(["prod/db-manual"], Keys(result));
        var error = result.SingleError();
        Assert.Equal(["after"], Session.Invoke("try { $null = Get-KbVolumeSnapshot db-weekly -Namespace prod 2>$null; 'after' } catch { 'caught' }").Output.Select(o => o.ToString()));
        Assert.Equal("SnapshotNotFound,KubeBackup.Commands.GetKbVolumeSnapshotCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("'db-weekly'", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OlderThanListsOnlyTheSnapshotsCreatedLongerAgo()
    {
        var first = _cluster.Created("prod", "db-daily-1");
        await WaitUntilPastAsync(first, TimeSpan.FromSeconds(4));
        await _cluster.SnapshotsAsync(("prod", "db-daily-2", "data-db-0", "daily"));
        var second = _cluster.Created("prod", "db-daily-2");
        Assert.True(second - first >= TimeSpan.FromSeconds(3), $"{first:o} {second:o}");

        // Halfway between the two ages: a margin of a second or more on each side. The first call loads the module's
        // dependencies, which can take longer than that margin, so it runs before the clock is read.
        Session.Invoke("Get-KbVolumeSnapshot -Namespace prod").ThrowIfErrors();
        var olderThan = (DateTimeOffset.UtcNow - (first + (second - first) / 2)).TotalSeconds;
        var old = Session.Invoke($"Get-KbVolumeSnapshot -Namespace prod -Selector backup-type -OlderThan {olderThan.ToString(System.Globalization.CultureInfo.InvariantCulture)}").ThrowIfErrors();
        var none = Session.Invoke("Get-KbVolumeSnapshot -Namespace prod -OlderThan 7d").ThrowIfErrors();

        Assert.Equal(["prod/db-daily-1", "prod/uploads-daily-1"], Keys(old).Order(StringComparer.Ordinal));
        Assert.Empty(none.Output);
        Assert.StartsWith("ParameterArgumentValidationError,", Session.Invoke("Get-KbVolumeSnapshot -OlderThan 0").SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void AnInvalidSelectorIsRefusedBeforeAnythingIsRead()
    {
        var error = Session.Invoke("Get-KbVolumeSnapshot -Selector 'backup-type in daily'").SingleError();
        Assert.Equal("LabelSelectorInvalid,KubeBackup.Commands.GetKbVolumeSnapshotCommand", error.FullyQualifiedErrorId);
    }

    [Fact]
    public async Task SnapshotsFromTheListingAreRemovedThroughThePipelineInTheirOwnNamespaces()
    {
        var result = Session.Invoke("Get-KbVolumeSnapshot -AllNamespaces -Selector backup-type=daily | Remove-KbVolumeSnapshot -Force -PassThru").ThrowIfErrors();

        Assert.Equal(["prod/db-daily-1", "prod/uploads-daily-1", "staging/db-daily-1"], Keys(result).Order(StringComparer.Ordinal));
        await WaitAsync(() => _cluster.SnapshotNames().SequenceEqual(["default/scratch-hourly-1", "prod/db-manual"]), "the daily snapshots to go");
    }

    [Fact]
    public void WithoutForceItAsksAndAHostThatCannotAskDeletesNothing()
    {
        var asked = Session.Invoke("Remove-KbVolumeSnapshot db-manual -Namespace prod").AllErrors.First();

        Assert.StartsWith("HostFunctionNotImplemented,", asked.FullyQualifiedErrorId);
        Assert.Contains("on target \"prod/db-manual\"", asked.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(5, _cluster.SnapshotNames().Length);
    }

    [Fact]
    public void WhatIfDeletesNothing()
    {
        var result = Session.Invoke("Get-KbVolumeSnapshot -AllNamespaces | Remove-KbVolumeSnapshot -WhatIf").ThrowIfErrors();

        Assert.Empty(result.Output);
        Assert.Equal(5, _cluster.SnapshotNames().Length);
    }

    [Fact]
    public async Task ANameThatDoesNotExistIsSnapshotNotFoundAndTheNextIsRemoved()
    {
        var result = Session.Invoke("'db-weekly', 'db-manual' | Remove-KbVolumeSnapshot -Namespace prod -Force");
        var byDefault = Session.Invoke("Remove-KbVolumeSnapshot scratch-hourly-1 -Force").ThrowIfErrors();

        var error = result.SingleError();
        Assert.Equal("SnapshotNotFound,KubeBackup.Commands.RemoveKbVolumeSnapshotCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("prod/db-weekly", error.TargetObject);
        Assert.Empty(byDefault.Output);
        await WaitAsync(() => _cluster.SnapshotNames().SequenceEqual(["prod/db-daily-1", "prod/uploads-daily-1", "staging/db-daily-1"]), "db-manual and scratch-hourly-1 to go");
    }

    [Fact]
    public async Task AContentABackupRetainedGoesWithItsSnapshotAndOtherRetainedContentsStay()
    {
        var retained = Content("prod", "db-daily-1");
        var foreign = Content("prod", "uploads-daily-1");
        _cluster.Kubectl("patch", "volumesnapshotcontent", retained, "--type=merge", "-p",
            """{"spec":{"deletionPolicy":"Retain"},"metadata":{"annotations":{"kubebackup.io/retained-by":"backup/nightly-1"}}}""");
        _cluster.Kubectl("patch", "volumesnapshotcontent", foreign, "--type=merge", "-p", """{"spec":{"deletionPolicy":"Retain"}}""");

        var result = Session.Invoke("Remove-KbVolumeSnapshot db-daily-1, uploads-daily-1 -Namespace prod -Force -Verbose").ThrowIfErrors();

        Assert.Contains(result.Verbose, v => v.Contains(retained, StringComparison.Ordinal));
        await WaitAsync(() => !ContentExists(retained), $"content {retained} to go");
        Assert.True(ContentExists(foreign), "A content retained by something else than KubeBackup was deleted.");
        Assert.DoesNotContain("prod/db-daily-1", _cluster.SnapshotNames());
    }

    [Fact]
    public async Task WithoutTheSnapshotCrdsEveryCmdletSaysSnapshotApiMissing()
    {
        await using var bare = await StartAsync("--no-snapshot-crds");
        foreach (var (script, command) in new[]
        {
            ("Get-KbVolumeSnapshot -AllNamespaces", "GetKbVolumeSnapshotCommand"),
            ("Remove-KbVolumeSnapshot some-snapshot -Force", "RemoveKbVolumeSnapshotCommand"),
            ("Remove-KbExpiredSnapshot -OlderThan 7d -Force", "RemoveKbExpiredSnapshotCommand"),
        })
        {
            var result = bare.Session.Invoke(script);
            var error = result.SingleError();
            Assert.Equal(["caught"], bare.Session.Invoke($"try {{ $null = {script}; 'after' }} catch {{ 'caught' }}").Output.Select(o => o.ToString()));
            Assert.Equal($"SnapshotApiMissing,KubeBackup.Commands.{command}", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
            Assert.Contains("snapshot.storage.k8s.io", error.Exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheTableViewsShowEveryColumn()
    {
        await _cluster.SnapshotsAsync(("prod", "db-daily-2", "data-db-0", "daily"));
        var shell = Path.Combine(Repo.Root, "tools", "KbShell", "bin", Repo.Configuration, "net10.0", "KbShell.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { shell, Path.Combine(AppContext.BaseDirectory, "Scripts", "RenderSnapshots.ps1"), "-ModuleManifest", Repo.ModuleManifest, "-Kubeconfig", _cluster.Emulator.KubeconfigPath })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var output = (await stdout).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(process.ExitCode == 0 && output.Contains("== end", StringComparison.Ordinal), $"KbShell exited with {process.ExitCode}:\n{await stderr}\n{output}");

        var snapshots = output[output.IndexOf("== snapshots", StringComparison.Ordinal)..output.IndexOf("== retention", StringComparison.Ordinal)];
        Assert.Matches(@"Namespace\s+Name\s+PVC\s+State\s+Size\s+Age\s+Class", snapshots);
        Assert.Matches(@"prod\s+db-daily-1\s+data-db-0\s+Ready\s+1Gi\s+\d+s\s+csi-hostpath-snapclass", snapshots);
        var retention = output[output.IndexOf("== retention", StringComparison.Ordinal)..];
        Assert.Matches(@"Namespace\s+Name\s+PVC\s+Age\s+Action\s+Reason", retention);
        Assert.Matches(@"prod\s+db-daily-1\s+data-db-0\s+\d+s\s+WouldDelete\s+not one of the newest 1", retention);
        Assert.Matches(@"prod\s+db-daily-2\s+data-db-0\s+\d+s\s+Kept\s+one of the newest 1", retention);
    }

    private string Content(string ns, string snapshot) =>
        _cluster.Kubectl("get", "volumesnapshot", snapshot, "-n", ns, "-o", "jsonpath={.status.boundVolumeSnapshotContentName}");

    private bool ContentExists(string name) =>
        JsonNode.Parse(_cluster.Kubectl("get", "volumesnapshotcontents", "-o", "json"))!["items"]!.AsArray()
            .Any(c => (string?)c!["metadata"]!["name"] == name);
}
