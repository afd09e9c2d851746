using System.Management.Automation;
using KubeBackup.Module.Tests.Backups;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Schedules;

/// <summary>
/// What the schedule tests share: a session against an emulator holding the demo shop, a fixed module clock, and schedule
/// records written into the location as another runner (New-KbSchedule) would write them.
/// </summary>
public abstract class ScheduleRunTestBase : BackupTestBase, IAsyncLifetime
{
    private EmulatorProcess? _shop;

    protected EmulatorProcess Shop => _shop!;

    public async Task InitializeAsync()
    {
        _shop = await EmulatorProcess.StartAsync("shop", "--load", Path.Combine(Repo.Root, "demo", "cluster"));
        Session.Invoke("$env:KUBECONFIG = $args[0]", Shop.KubeconfigPath).ThrowIfErrors();
    }

    public async Task DisposeAsync()
    {
        SetClock(Session, null);
        if (_shop is not null)
        {
            await _shop.DisposeAsync();
        }
    }

    protected static void SetClock(PowerShellSession session, string? time) =>
        session.Invoke("[KubeBackup.Infrastructure.ModuleClock]::FixedNow = $args[0]", time).ThrowIfErrors();

    /// <summary>The JSON ScheduleRecordJson writes (docs/repository-format.md §14), saved through the repository.</summary>
    protected static string ScheduleScript(string name, string cron, string ttl = "720h0m0s", string created = "2026-11-24T01:30:00.0000000+00:00") => $$"""
        $json = @'
        {"kind":"Schedule","name":"{{name}}","description":null,"schedule":"{{cron}}","timeZone":null,"paused":false,
         "created":"{{created}}","updated":"{{created}}",
         "template":{"includedNamespaces":["shop"],"excludedNamespaces":[],"includedResources":[],"excludedResources":[],
           "labelSelector":null,"orLabelSelectors":[],"includeClusterResources":null,"ttl":"{{ttl}}","storageLocation":null,
           "snapshotVolumes":false,"csiSnapshotTimeout":"0h10m0s","hooks":[],"labels":{"team":"shop"} } }
        '@
        Wait-Task ($repository.PutScheduleAsync('{{name}}', [System.ReadOnlyMemory[byte]]::new([System.Text.Encoding]::UTF8.GetBytes($json)), $script:None))
        """;

    protected static string Text(PSObject value, string name) => value.Properties[name].Value?.ToString() ?? "";

    protected static PSObject Result(PsResult result, string schedule) =>
        Assert.Single(result.Output, o => Text(o, "Schedule") == schedule);

    protected static List<string> Expired(PSObject result) => ((IEnumerable<string>)result.Properties["Expired"].Value).ToList();

    protected List<string> BackupNames(string url) =>
        Names(Session.Invoke("Get-KbBackup -StorageLocation $args[0]", url).ThrowIfErrors()).Order(StringComparer.Ordinal).ToList();
}

/// <summary>Invoke-KbSchedule through the hosted engine on a local location, with the clock moved by the test.</summary>
[Collection(ModuleCollection.Name)]
public sealed class InvokeKbScheduleTests : ScheduleRunTestBase
{
    [Fact]
    public void RunsTheDueSlotOnceSkipsItAfterCatchesUpMissedSlotsWithOneBackupAndExpiresOldBackups()
    {
        Seed(ScheduleScript("hourly", "0 * * * *", ttl: "1h0m0s"));

        SetClock(Session, "2026-11-24T02:00:30Z");
        var first = Session.Invoke("Invoke-KbSchedule -StorageLocation $args[0] -Verbose", DefaultUrl).ThrowIfErrors();
        var ran = Assert.Single(first.Output);
        Assert.Equal("KubeBackup.Core.Schedules.ScheduleRunResult", ran.TypeNames[0]);
        Assert.Equal("Ran", Text(ran, "Action"));
        Assert.Equal("hourly-20261124020000", Text(ran, "BackupName"));
        Assert.Equal(0, (int)ran.Properties["MissedSlots"].Value);
        Assert.Equal("Completed", Text((PSObject)PSObject.AsPSObject(ran.Properties["Backup"].Value), "Phase"));
        Assert.Contains(first.Verbose, v => v.Contains("'hourly': Ran", StringComparison.Ordinal));
        var backup = Assert.Single(Session.Invoke("Get-KbBackup hourly-20261124020000 -StorageLocation $args[0]", DefaultUrl).ThrowIfErrors().Output);
        var labels = (System.Collections.IDictionary)PSObject.AsPSObject(backup.Properties["Labels"].Value).BaseObject;
        Assert.Equal("hourly", labels["kubebackup.io/schedule-name"]);
        Assert.Equal("shop", labels["team"]);

        var again = Assert.Single(Session.Invoke("Invoke-KbSchedule -StorageLocation $args[0]", DefaultUrl).ThrowIfErrors().Output);
        Assert.Equal("Skipped", Text(again, "Action"));
        Assert.Contains("is backed up: 'hourly-20261124020000'", Text(again, "Reason"), StringComparison.Ordinal);
        Assert.Equal(["hourly-20261124020000"], BackupNames(DefaultUrl));

        // The next slot runs; the first backup (TTL 1h) has expired by then and is deleted.
        SetClock(Session, "2026-11-24T03:05:00Z");
        var next = Assert.Single(Session.Invoke("Invoke-KbSchedule hourly -StorageLocation $args[0]", DefaultUrl).ThrowIfErrors().Output);
        Assert.Equal("Ran", Text(next, "Action"));
        Assert.Equal("hourly-20261124030000", Text(next, "BackupName"));
        Assert.Equal(["hourly-20261124020000"], Expired(next));
        Assert.Equal(["hourly-20261124030000"], BackupNames(DefaultUrl));

        // Three hours without a runner: one backup for the latest slot, the two missed ones reported.
        SetClock(Session, "2026-11-24T06:10:00Z");
        var caughtUp = Assert.Single(Session.Invoke("Invoke-KbSchedule 'hour*' -StorageLocation $args[0]", DefaultUrl).ThrowIfErrors().Output);
        Assert.Equal("Ran", Text(caughtUp, "Action"));
        Assert.Equal("hourly-20261124060000", Text(caughtUp, "BackupName"));
        Assert.Equal(2, (int)caughtUp.Properties["MissedSlots"].Value);
        Assert.Contains("Catch-up: 2 missed slots", Text(caughtUp, "Reason"), StringComparison.Ordinal);
        Assert.Equal(["hourly-20261124030000"], Expired(caughtUp));
        Assert.Equal(["hourly-20261124060000"], BackupNames(DefaultUrl));
    }

    [Fact]
    public void AFailedBackupIsAFailedResultAndAnErrorAndTheNextSlotStillRuns()
    {
        Seed(ScheduleScript("hourly", "0 * * * *") + "\n" + ScheduleScript("daily", "0 0 * * *", created: "2026-11-20T00:00:00.0000000+00:00"));
        var unreachable = Path.Combine(User.DataDirectory, "unreachable.yaml");
        File.WriteAllText(unreachable, File.ReadAllText(Shop.KubeconfigPath).Replace(Shop.Url.GetLeftPart(UriPartial.Authority).TrimEnd('/'), $"{Shop.Url.Scheme}://127.0.0.1:9", StringComparison.Ordinal));

        SetClock(Session, "2026-11-24T02:00:30Z");
        var failed = Session.Invoke("Invoke-KbSchedule hourly -StorageLocation $args[0] -Kubeconfig $args[1]", DefaultUrl, unreachable);
        var result = Assert.Single(failed.Output);
        Assert.Equal("Failed", Text(result, "Action"));
        Assert.Equal("hourly-20261124020000", Text(result, "BackupName"));
        var error = failed.SingleError();
        Assert.Equal("BackupFailed,KubeBackup.Commands.InvokeKbScheduleCommand", error.FullyQualifiedErrorId);
        Assert.Contains("hourly", error.Exception.Message, StringComparison.Ordinal);

        // Recorded under the slot's name, so the slot is not retried.
        var recorded = Assert.Single(Session.Invoke("Get-KbBackup hourly-20261124020000 -StorageLocation $args[0]", DefaultUrl).ThrowIfErrors().Output);
        Assert.Equal("Failed", Text(recorded, "Phase"));
        var retried = Assert.Single(Session.Invoke("Invoke-KbSchedule hourly -StorageLocation $args[0] -Kubeconfig $args[1]", DefaultUrl, unreachable).ThrowIfErrors().Output);
        Assert.Equal("Skipped", Text(retried, "Action"));
        Assert.Contains("(Failed)", Text(retried, "Reason"), StringComparison.Ordinal);

        SetClock(Session, "2026-11-24T03:00:30Z");
        var next = Session.Invoke("Invoke-KbSchedule -StorageLocation $args[0]", DefaultUrl).ThrowIfErrors();
        Assert.Equal(["daily", "hourly"], next.Output.Select(o => Text(o, "Schedule")).ToList());
        Assert.Equal("Ran", Text(Result(next, "hourly"), "Action"));
        Assert.Equal("hourly-20261124030000", Text(Result(next, "hourly"), "BackupName"));
        Assert.Equal("Ran", Text(Result(next, "daily"), "Action"));
        Assert.Equal("daily-20261124000000", Text(Result(next, "daily"), "BackupName"));
    }

    [Fact]
    public async Task TwoConcurrentRunnersBackUpTheSlotOnce()
    {
        Seed(ScheduleScript("hourly", "0 * * * *"));
        SetClock(Session, "2026-11-24T02:00:30Z");
        using var other = PowerShellSession.Start();
        other.Invoke("$env:KUBECONFIG = $args[0]", Shop.KubeconfigPath).ThrowIfErrors();

        using var start = new Barrier(2);
        PsResult Run(PowerShellSession session)
        {
            start.SignalAndWait();
            return session.Invoke("Invoke-KbSchedule -StorageLocation $args[0]", DefaultUrl);
        }
        var runs = new[] { Task.Run(() => Run(Session)), Task.Run(() => Run(other)) };
        await Task.WhenAll(runs);

        var results = runs.Select(r => Assert.Single(r.Result.ThrowIfErrors().Output)).ToList();
        Assert.Equal(["Ran", "Skipped"], results.Select(r => Text(r, "Action")).Order(StringComparer.Ordinal).ToList());
        Assert.Contains("Another runner", Text(results.Single(r => Text(r, "Action") == "Skipped"), "Reason"), StringComparison.Ordinal);
        Assert.Equal(["hourly-20261124020000"], BackupNames(DefaultUrl));
    }

    [Fact]
    public void ANameThatMatchesNothingIsScheduleNotFoundAndAPatternIsNot()
    {
        Seed(ScheduleScript("hourly", "0 * * * *"));
        SetClock(Session, "2026-11-24T02:00:30Z");

        var missing = Session.Invoke("Invoke-KbSchedule nightly -StorageLocation $args[0]", DefaultUrl);
        Assert.Empty(missing.Output);
        var error = missing.SingleError();
        Assert.Equal("ScheduleNotFound,KubeBackup.Commands.InvokeKbScheduleCommand", error.FullyQualifiedErrorId);
        Assert.Equal("nightly", error.TargetObject);

        var pattern = Session.Invoke("Invoke-KbSchedule 'night*' -StorageLocation $args[0]", DefaultUrl).ThrowIfErrors();
        Assert.Empty(pattern.Output);
        Assert.Empty(BackupNames(DefaultUrl));
    }

    [Fact]
    public void AnInvalidScheduleIsAFailedResultWithScheduleInvalidAndTheOthersRun()
    {
        Seed(ScheduleScript("broken", "61 * * * *") + "\n" + ScheduleScript("hourly", "0 * * * *"));
        SetClock(Session, "2026-11-24T02:00:30Z");

        var run = Session.Invoke("Invoke-KbSchedule -StorageLocation $args[0]", DefaultUrl);
        Assert.Equal("Failed", Text(Result(run, "broken"), "Action"));
        Assert.Equal("Ran", Text(Result(run, "hourly"), "Action"));
        Assert.Equal("ScheduleInvalid,KubeBackup.Commands.InvokeKbScheduleCommand", run.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void AScheduleDeclinedAtTheConfirmationPromptIsLeftOutAndAnAcceptedOneRuns()
    {
        Seed(ScheduleScript("daily", "0 0 * * *") + "\n" + ScheduleScript("hourly", "0 * * * *"));
        var host = new RecordingHost();
        using var session = PowerShellSession.Start(host: host);
        session.Invoke("$env:KUBECONFIG = $args[0]", Shop.KubeconfigPath).ThrowIfErrors();
        SetClock(session, "2026-11-24T02:00:30Z");
        host.Answers.Enqueue("&No");
        host.Answers.Enqueue("&Yes");

        var run = session.Invoke("Invoke-KbSchedule -StorageLocation $args[0] -Confirm", DefaultUrl).ThrowIfErrors();

        var ran = Assert.Single(run.Output);
        Assert.Equal("hourly", Text(ran, "Schedule"));
        Assert.Equal("Ran", Text(ran, "Action"));
        Assert.Contains(host.Lines, l => l.Contains("daily-20261124000000", StringComparison.Ordinal) && l.EndsWith("-> &No", StringComparison.Ordinal));
        Assert.Equal(["hourly-20261124020000"], BackupNames(DefaultUrl));
    }

    [Fact]
    public void WhatIfSaysWhatWouldRunAndExpireAndRunsNothing()
    {
        Seed(ScheduleScript("hourly", "0 * * * *", ttl: "1h0m0s"));
        SetClock(Session, "2026-11-24T02:00:30Z");
        Session.Invoke("Invoke-KbSchedule -StorageLocation $args[0]", DefaultUrl).ThrowIfErrors();

        var host = new RecordingHost();
        using var session = PowerShellSession.Start(host: host);
        session.Invoke("$env:KUBECONFIG = $args[0]", Shop.KubeconfigPath).ThrowIfErrors();
        SetClock(session, "2026-11-24T05:05:00Z");
        var preview = session.Invoke("Invoke-KbSchedule -StorageLocation $args[0] -WhatIf", DefaultUrl).ThrowIfErrors();

        Assert.Empty(preview.Output);
        var line = Assert.Single(host.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal));
        Assert.Contains("Back up slot 2026-11-24 05:00:00Z as 'hourly-20261124050000'", line, StringComparison.Ordinal);
        Assert.Contains("catching up 2 missed slot(s)", line, StringComparison.Ordinal);
        Assert.Contains("Delete 1 expired backup(s): 'hourly-20261124020000'", line, StringComparison.Ordinal);
        Assert.Equal(["hourly-20261124020000"], BackupNames(DefaultUrl));
    }
}

/// <summary>Invoke-KbSchedule on an S3 location (s3rver): a slot once, and two runners at once.</summary>
[Collection(ModuleCollection.Name)]
public sealed class InvokeKbScheduleS3Tests : ScheduleRunTestBase, IClassFixture<S3rverFixture>
{
    private readonly string? _savedKeyId = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
    private readonly string? _savedSecret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
    private readonly string _url;

    public InvokeKbScheduleS3Tests(S3rverFixture s3)
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", S3rverProcess.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", S3rverProcess.SecretKey);
        _url = s3.Server.Url($"t-{Guid.NewGuid():N}");
    }

    public override void Dispose()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", _savedKeyId);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", _savedSecret);
        base.Dispose();
    }

    [Fact]
    public async Task TwoConcurrentRunnersOnS3BackUpTheSlotOnceAndTheNextRunSkipsIt()
    {
        Seed(_url, ScheduleScript("hourly", "0 * * * *"));
        SetClock(Session, "2026-11-24T02:00:30Z");
        using var other = PowerShellSession.Start();
        other.Invoke("$env:KUBECONFIG = $args[0]", Shop.KubeconfigPath).ThrowIfErrors();

        using var start = new Barrier(2);
        PsResult Run(PowerShellSession session)
        {
            start.SignalAndWait();
            return session.Invoke("Invoke-KbSchedule -StorageLocation $args[0]", _url);
        }
        var runs = new[] { Task.Run(() => Run(Session)), Task.Run(() => Run(other)) };
        await Task.WhenAll(runs);

        var results = runs.Select(r => Assert.Single(r.Result.ThrowIfErrors().Output)).ToList();
        Assert.Equal(["Ran", "Skipped"], results.Select(r => Text(r, "Action")).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(["hourly-20261124020000"], BackupNames(_url));

        var again = Assert.Single(Session.Invoke("Invoke-KbSchedule -StorageLocation $args[0]", _url).ThrowIfErrors().Output);
        Assert.Equal("Skipped", Text(again, "Action"));
        Assert.Equal(["hourly-20261124020000"], BackupNames(_url));
    }
}
