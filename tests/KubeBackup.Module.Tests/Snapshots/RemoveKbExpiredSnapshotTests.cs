using System.Globalization;
using KubeBackup.Module.Tests.Support;
using static KubeBackup.Module.Tests.Snapshots.SnapshotCluster;

namespace KubeBackup.Module.Tests.Snapshots;

/// <summary>Remove-KbExpiredSnapshot through the hosted engine: the retention rules, the selection, -WhatIf, -Force and bad input.</summary>
[Collection(ModuleCollection.Name)]
public sealed class RemoveKbExpiredSnapshotTests : IAsyncLifetime
{
    private SnapshotCluster _cluster = null!;

    private PowerShellSession Session => _cluster.Session;

    public async Task InitializeAsync()
    {
        _cluster = await StartAsync();
        await _cluster.ClaimsAsync(("prod", "data-db-0"), ("prod", "uploads"), ("staging", "data-db-0"));
        // Created in one request, often within one second: the names order the ties as the retention does.
        await _cluster.SnapshotsAsync(
            ("prod", "db-1", "data-db-0", "daily"),
            ("prod", "db-2", "data-db-0", "daily"),
            ("prod", "db-3", "data-db-0", "daily"),
            ("prod", "up-1", "uploads", "daily"),
            ("prod", "up-2", "uploads", "hourly"),
            ("prod", "db-manual", "data-db-0", null),
            ("staging", "st-1", "data-db-0", "daily"),
            ("staging", "st-2", "data-db-0", "daily"));
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static Dictionary<string, (string Action, string Reason)> Records(PsResult result) =>
        result.Output.ToDictionary(o => $"{Text(o, "Namespace")}/{Text(o, "Name")}", o => (Text(o, "Action"), Text(o, "Reason")));

    [Fact]
    public async Task KeepLastKeepsTheNewestOfEachClaimAndNeverTouchesUnlabelledSnapshotsOrOtherNamespaces()
    {
        var result = Session.Invoke("Remove-KbExpiredSnapshot -Namespace prod -KeepLast 2 -Force").ThrowIfErrors();

        var records = Records(result);
        Assert.Equal(["prod/db-1", "prod/db-2", "prod/db-3", "prod/up-1", "prod/up-2"], records.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("KubeBackup.Core.Snapshots.SnapshotRetentionResult", result.Output[0].TypeNames[0]);
        Assert.Equal("Deleted", records["prod/db-1"].Action);
        Assert.StartsWith("not one of the newest 2 ready snapshots of prod/data-db-0", records["prod/db-1"].Reason, StringComparison.Ordinal);
        Assert.Equal("Kept", records["prod/db-3"].Action);
        Assert.StartsWith("one of the newest 2 ready snapshots of prod/data-db-0", records["prod/db-3"].Reason, StringComparison.Ordinal);
        Assert.All(["prod/db-2", "prod/up-1", "prod/up-2"], k => Assert.Equal("Kept", records[k].Action));
        await WaitAsync(() => !_cluster.SnapshotNames().Contains("prod/db-1"), "db-1 to go");
        Assert.Equal(["prod/db-2", "prod/db-3", "prod/db-manual", "prod/up-1", "prod/up-2", "staging/st-1", "staging/st-2"], _cluster.SnapshotNames());
    }

    [Fact]
    public void WhatIfDeletesNothingAndTheRecordsSayWhatWouldGo()
    {
        var result = Session.Invoke("Remove-KbExpiredSnapshot -AllNamespaces -KeepLast 1 -WhatIf").ThrowIfErrors();

        var records = Records(result);
        Assert.Equal(7, records.Count);
        Assert.Equal(["prod/db-1", "prod/db-2", "prod/up-1", "staging/st-1"], records.Where(r => r.Value.Action == "WouldDelete").Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.All(records.Where(r => r.Value.Action != "WouldDelete"), r => Assert.Equal("Kept", r.Value.Action));
        Assert.Equal(8, _cluster.SnapshotNames().Length);
    }

    [Fact]
    public async Task ASelectorReplacesTheDefaultAndOnlyWhatItSelectsIsRead()
    {
        await WaitUntilPastAsync(_cluster.Created("prod", "up-2"), TimeSpan.FromSeconds(2));
        var result = Session.Invoke("Remove-KbExpiredSnapshot -Namespace prod -Selector backup-type=hourly -OlderThan 1s -Force").ThrowIfErrors();

        Assert.Equal(["prod/up-2"], Keys(result));
        Assert.Equal("Deleted", Text(result.Output[0], "Action"));
        Assert.StartsWith("older than 1s (age ", Text(result.Output[0], "Reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OlderThanDeletesTheOldSnapshotsAndKeepsTheNewWithTheirAges()
    {
        var first = _cluster.Created("prod", "db-1");
        await WaitUntilPastAsync(first, TimeSpan.FromSeconds(4));
        await _cluster.SnapshotsAsync(("prod", "db-4", "data-db-0", "daily"), ("prod", "up-3", "uploads", "daily"));
        var second = _cluster.Created("prod", "db-4");
        Assert.True(second - first >= TimeSpan.FromSeconds(3), $"{first:o} {second:o}");
        Session.Invoke("Get-KbVolumeSnapshot -Namespace prod").ThrowIfErrors(); // loads the dependencies before the clock is read
        var olderThan = (DateTimeOffset.UtcNow - (first + (second - first) / 2)).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

        var result = Session.Invoke($"Remove-KbExpiredSnapshot -Namespace prod -OlderThan {olderThan} -Force").ThrowIfErrors();

        var records = Records(result);
        Assert.Equal(["prod/db-1", "prod/db-2", "prod/db-3", "prod/up-1", "prod/up-2"], records.Where(r => r.Value.Action == "Deleted").Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Equal("Kept", records["prod/db-4"].Action);
        Assert.StartsWith("newer than ", records["prod/up-3"].Reason, StringComparison.Ordinal);
        Assert.Contains("(age ", records["prod/db-1"].Reason, StringComparison.Ordinal);
        await WaitAsync(() => _cluster.SnapshotNames().SequenceEqual(["prod/db-4", "prod/db-manual", "prod/up-3", "staging/st-1", "staging/st-2"]), "the old snapshots to go");
    }

    [Fact]
    public async Task BothRulesKeepTheNewestNEvenWhenOlderThanTheAge()
    {
        await WaitUntilPastAsync(_cluster.Created("prod", "db-3"), TimeSpan.FromSeconds(2));

        var result = Session.Invoke("Remove-KbExpiredSnapshot -AllNamespaces -OlderThan 1s -KeepLast 1 -Force").ThrowIfErrors();

        var records = Records(result);
        Assert.Equal(["prod/db-1", "prod/db-2", "prod/up-1", "staging/st-1"], records.Where(r => r.Value.Action == "Deleted").Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Contains("older than 1s", records["prod/db-3"].Reason, StringComparison.Ordinal);
        Assert.StartsWith("one of the newest 1 ready snapshots of prod/data-db-0", records["prod/db-3"].Reason, StringComparison.Ordinal);
        await WaitAsync(() => _cluster.SnapshotNames().SequenceEqual(["prod/db-3", "prod/db-manual", "prod/up-2", "staging/st-2"]), "the expired snapshots to go");
    }

    [Fact]
    public void WithoutForceItAsksForEachDeleteAndAHostThatCannotAskDeletesNothing()
    {
        // This host cannot prompt, so asking is an error that shows the question; -Confirm asks even with -Force.
        foreach (var command in new[] { "Remove-KbExpiredSnapshot -Namespace staging -KeepLast 1", "Remove-KbExpiredSnapshot -Namespace staging -KeepLast 1 -Force -Confirm" })
        {
            var asked = Session.Invoke(command).AllErrors.First();
            Assert.StartsWith("HostFunctionNotImplemented,", asked.FullyQualifiedErrorId);
            Assert.Contains("staging/st-1", asked.Exception.Message, StringComparison.Ordinal);
            Assert.Contains("not one of the newest 1 ready snapshots of staging/data-db-0", asked.Exception.Message, StringComparison.Ordinal);
            Assert.Equal(8, _cluster.SnapshotNames().Length);
        }

        var confirmedOff = Session.Invoke("Remove-KbExpiredSnapshot -Namespace staging -KeepLast 1 -Confirm:$false").ThrowIfErrors();
        Assert.Equal("Deleted", Records(confirmedOff)["staging/st-1"].Action);
    }

    [Fact]
    public async Task ARefusedDeleteIsFailedWithItsErrorAndTheNextSnapshotIsDeleted()
    {
        // The API server answers 500 to the first delete and every retry of it (six attempts in all: the cluster RetryPolicy retries five times).
        await using var faulty = await StartAsync("--fault", "error:delete:volumesnapshots:6");
        await faulty.ClaimsAsync(("prod", "data-db-0"));
        await faulty.SnapshotsAsync(("prod", "s-1", "data-db-0", "daily"), ("prod", "s-2", "data-db-0", "daily"), ("prod", "s-3", "data-db-0", "daily"));

        var result = faulty.Session.Invoke("Remove-KbExpiredSnapshot -Namespace prod -KeepLast 1 -Force");

        var records = Records(result);
        Assert.Equal("Failed", records["prod/s-1"].Action);
        Assert.Contains("the delete failed", records["prod/s-1"].Reason, StringComparison.Ordinal);
        Assert.Equal("Deleted", records["prod/s-2"].Action);
        Assert.Equal("Kept", records["prod/s-3"].Action);
        var error = result.SingleError();
        Assert.Equal("SnapshotDeleteFailed,KubeBackup.Commands.RemoveKbExpiredSnapshotCommand", error.FullyQualifiedErrorId);
        Assert.Equal("prod/s-1", error.TargetObject);
        await WaitAsync(() => faulty.SnapshotNames().SequenceEqual(["prod/s-1", "prod/s-3"]), "s-2 to go");
    }

    [Fact]
    public void ADeleteDeclinedAtTheConfirmationPromptIsSkippedAndOneAcceptedIsDeleted()
    {
        var host = new RecordingHost();
        using var session = PowerShellSession.Start(host: host);
        session.Invoke("$env:KUBECONFIG = $args[0]", _cluster.Emulator.KubeconfigPath).ThrowIfErrors();
        host.Answers.Enqueue("&No");
        host.Answers.Enqueue("&Yes");

        var declined = session.Invoke("Remove-KbExpiredSnapshot -Namespace staging -KeepLast 1").ThrowIfErrors();
        var accepted = session.Invoke("Remove-KbExpiredSnapshot -Namespace prod -KeepLast 2").ThrowIfErrors();

        Assert.Equal("Skipped", Records(declined)["staging/st-1"].Action);
        Assert.EndsWith("; declined at the confirmation prompt", Records(declined)["staging/st-1"].Reason, StringComparison.Ordinal);
        Assert.Equal("Kept", Records(declined)["staging/st-2"].Action);
        Assert.Equal("Deleted", Records(accepted)["prod/db-1"].Action);
        Assert.Contains(host.Lines, l => l.Contains("staging/st-1", StringComparison.Ordinal) && l.EndsWith("-> &No", StringComparison.Ordinal));
        Assert.Contains("staging/st-1", _cluster.SnapshotNames());
    }

    [Theory]
    [InlineData("Remove-KbExpiredSnapshot -AllNamespaces -Force", "-OlderThan")]
    [InlineData("Remove-KbExpiredSnapshot -AllNamespaces -OlderThan 0 -Force", "positive age")]
    [InlineData("Remove-KbExpiredSnapshot -AllNamespaces -OlderThan '-1h' -Force", "positive age")]
    [InlineData("Remove-KbExpiredSnapshot -AllNamespaces -KeepLast 0 -Force", "1 or more")]
    [InlineData("Remove-KbExpiredSnapshot -AllNamespaces -OlderThan 7d -KeepLast -3 -Force", "1 or more")]
    public void InvalidRetentionValuesAreRefusedAndNothingIsDeleted(string script, string message)
    {
        var result = Session.Invoke(script);

        var error = result.SingleError();
        Assert.Equal(["caught"], Session.Invoke($"try {{ $null = {script}; 'after' }} catch {{ 'caught' }}").Output.Select(o => o.ToString()));
        Assert.Equal("SnapshotRetentionInvalid,KubeBackup.Commands.RemoveKbExpiredSnapshotCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(message, error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(result.Output);
        Assert.Equal(8, _cluster.SnapshotNames().Length);
    }

    [Fact]
    public void AnInvalidSelectorIsRefusedAndNothingIsDeleted()
    {
        var error = Session.Invoke("Remove-KbExpiredSnapshot -AllNamespaces -Selector 'backup-type in daily' -KeepLast 1 -Force").SingleError();
        Assert.Equal("LabelSelectorInvalid,KubeBackup.Commands.RemoveKbExpiredSnapshotCommand", error.FullyQualifiedErrorId);
        Assert.Equal(8, _cluster.SnapshotNames().Length);
    }
}
