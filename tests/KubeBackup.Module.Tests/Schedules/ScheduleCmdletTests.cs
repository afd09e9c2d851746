using System.Management.Automation;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Schedules;

/// <summary>New-, Get-, Set- and Remove-KbSchedule on the embedded default location (a local folder).</summary>
[Collection(ModuleCollection.Name)]
public sealed class ScheduleCmdletTests : ScheduleTestBase
{
    private const string Cmdlets = "KubeBackup.Commands.";

    private string ScheduleFile(string name) => Path.Combine(DefaultRepository, "schedules", name + ".json");

    [Fact]
    public void CreatesTheSeedsDailyScheduleByParameters()
    {
        var created = Session.Invoke("""
            New-KbSchedule daily-full-backup -Cron '0 2 * * *' -TimeZone Asia/Shanghai -IncludeNamespace production, staging -ExcludeResource events, events.events.k8s.io -Ttl 720h -Description 'Nightly'
            """).ThrowIfErrors().Output.Single();

        Assert.Equal("daily-full-backup", Property(created, "Name"));
        Assert.Equal("0 2 * * *", Property(created, "Cron"));
        Assert.Equal("Asia/Shanghai", Property(created, "TimeZone"));
        Assert.Equal("CRON_TZ=Asia/Shanghai 0 2 * * *", Property(created, "CronWithZone"));
        Assert.Equal(TimeSpan.FromDays(30), Property(created, "Ttl"));
        Assert.Equal("production, staging", Property(created, "Namespaces"));
        Assert.Equal("default", Property(created, "StorageLocation"));
        Assert.True(File.Exists(ScheduleFile("daily-full-backup")));

        var listed = Session.Invoke("Get-KbSchedule").ThrowIfErrors().Output.Single();
        Assert.Equal("Nightly", Property(listed, "Description"));
        var excluded = Session.Invoke("(Get-KbSchedule daily-full-backup).Template.ExcludedResources").ThrowIfErrors();
        Assert.Equal(["events", "events.events.k8s.io"], excluded.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void TheHourlyScheduleByParametersTakesTheSelectorAndAZonePrefixMovesIntoTheZone()
    {
        Session.Invoke("New-KbSchedule hourly-critical -Cron '0 * * * *' -IncludeNamespace production -Selector backup=critical -Ttl 168h").ThrowIfErrors();
        var berlin = Session.Invoke("New-KbSchedule berlin -Schedule 'CRON_TZ=Europe/Berlin 30 3 * * 1-5' -SnapshotVolumes -Paused").ThrowIfErrors().Output.Single();

        var hourly = Session.Invoke("Get-KbSchedule hourly-critical").ThrowIfErrors().Output.Single();
        Assert.Equal(TimeSpan.FromDays(7), Property(hourly, "Ttl"));
        Assert.Equal("backup=critical", Session.Invoke("(Get-KbSchedule hourly-critical).Template.LabelSelector").Output.Single().ToString());
        Assert.Null(Property(hourly, "TimeZone"));
        Assert.Equal("30 3 * * 1-5", Property(berlin, "Cron"));
        Assert.Equal("Europe/Berlin", Property(berlin, "TimeZone"));
        Assert.Equal(true, Property(berlin, "Paused"));
        Assert.Equal(TimeSpan.FromDays(30), Property(berlin, "Ttl"));
        Assert.Equal(true, Session.Invoke("(Get-KbSchedule berlin).Template.SnapshotVolumes").Output.Single().BaseObject);
    }

    [Fact]
    public void WhatIfCreatesNothing()
    {
        var result = Session.Invoke("New-KbSchedule daily -Cron '@daily' -WhatIf").ThrowIfErrors();

        Assert.Empty(result.Output);
        Assert.False(File.Exists(ScheduleFile("daily")));
    }

    [Fact]
    public void GetFiltersByWildcardsAndReportsAPlainNameThatDoesNotExist()
    {
        Session.Invoke("New-KbSchedule hourly -Cron '0 * * * *'; New-KbSchedule daily -Cron '0 2 * * *'; New-KbSchedule weekly -Cron '@weekly'").ThrowIfErrors();

        Assert.Equal(["daily", "hourly", "weekly"], Names(Session.Invoke("Get-KbSchedule").ThrowIfErrors()));
        Assert.Equal(["daily", "hourly"], Names(Session.Invoke("Get-KbSchedule *ly -StorageLocation $args[0] | Where-Object Name -ne weekly", DefaultUrl).ThrowIfErrors()));
        Assert.Equal(["hourly"], Names(Session.Invoke("Get-KbSchedule H*").ThrowIfErrors()));
        Assert.Empty(Session.Invoke("Get-KbSchedule x*").ThrowIfErrors().Output);

        var missing = Session.Invoke("Get-KbSchedule nope, daily");
        Assert.Equal(["daily"], Names(missing));
        Assert.Equal("ScheduleNotFound," + Cmdlets + "GetKbScheduleCommand", missing.SingleError().FullyQualifiedErrorId);
        Assert.Contains("'nope'", missing.SingleError().Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetOnALocationWithoutARepositoryListsNothingAndAPlainNameIsNotFound()
    {
        Assert.Empty(Session.Invoke("Get-KbSchedule").ThrowIfErrors().Output);
        Assert.Equal("ScheduleNotFound," + Cmdlets + "GetKbScheduleCommand", Session.Invoke("Get-KbSchedule daily").SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void GetShowsTheStatusAgainstTheSchedulesBackupsUnderAFixedClock()
    {
        SetClock("2026-11-24T00:00:00Z");
        Session.Invoke("New-KbSchedule hourly -Cron '0 * * * *'; New-KbSchedule idle -Cron '0 * * * *'").ThrowIfErrors();
        Seed("""
            $label = @{ 'kubebackup.io/schedule-name' = 'hourly' }
            New-SeedBackup $repository hourly-20261124050000 -Started '2026-11-24T05:00:00Z' -Labels $label
            New-SeedBackup $repository hourly-20261124060000 -Phase Failed -Started '2026-11-24T06:00:00Z' -Labels $label
            New-SeedBackup $repository unlabelled -Started '2026-11-24T06:10:00Z'
            """);

        SetClock("2026-11-24T06:30:00Z");
        var status = Session.Invoke("Get-KbSchedule hourly").ThrowIfErrors().Output.Single();
        Assert.Equal(DateTimeOffset.Parse("2026-11-24T06:00:00Z"), Property(status, "LastSlot"));
        Assert.Equal(DateTimeOffset.Parse("2026-11-24T07:00:00Z"), Property(status, "NextRun"));
        Assert.Equal("hourly-20261124060000", Property(status, "LastBackup"));
        Assert.Equal("Failed", Property(status, "LastBackupPhase"));
        Assert.Equal("hourly-20261124050000", Property(status, "LastSuccessfulBackup"));
        Assert.Equal(TimeSpan.FromMinutes(90), Property(status, "LastSuccessfulAge"));
        Assert.Equal(TimeSpan.FromHours(1), Property(status, "Interval"));
        Assert.Equal(false, Property(status, "IsLate"));

        // Two intervals without a successful backup: late. The idle schedule, created at midnight, never backed up.
        SetClock("2026-11-24T07:30:00Z");
        Assert.Equal(["hourly", "idle"], Names(Session.Invoke("Get-KbSchedule | Where-Object IsLate").ThrowIfErrors()));
        var idle = Session.Invoke("Get-KbSchedule idle").ThrowIfErrors().Output.Single();
        Assert.Null(Property(idle, "LastBackup"));
        Assert.Null(Property(idle, "LastSuccessfulAge"));

        // A paused schedule is never late.
        Session.Invoke("Set-KbSchedule idle -Paused").ThrowIfErrors();
        Assert.Equal(["hourly"], Names(Session.Invoke("Get-KbSchedule | Where-Object IsLate").ThrowIfErrors()));
    }

    [Fact]
    public void SetChangesTheCronKeepingTheZoneAndPausesAndResumesThroughThePipeline()
    {
        Session.Invoke("New-KbSchedule daily -Cron '0 2 * * *' -TimeZone Asia/Shanghai -IncludeNamespace production; New-KbSchedule hourly -Cron '@hourly'").ThrowIfErrors();

        var changed = Session.Invoke("Set-KbSchedule daily -Cron '30 3 * * *' -Ttl 48h -PassThru").ThrowIfErrors().Output.Single();
        Assert.Equal("30 3 * * *", Property(changed, "Cron"));
        Assert.Equal("Asia/Shanghai", Property(changed, "TimeZone"));
        Assert.Equal(TimeSpan.FromHours(48), Property(changed, "Ttl"));
        Assert.Equal("production", Property(changed, "Namespaces"));
        Assert.Empty(Session.Invoke("Set-KbSchedule hourly -Description quiet").ThrowIfErrors().Output);

        Session.Invoke("Get-KbSchedule | Set-KbSchedule -Paused").ThrowIfErrors();
        Assert.All(Session.Invoke("Get-KbSchedule").ThrowIfErrors().Output, s => Assert.Equal(true, Property(s, "Paused")));

        Session.Invoke("'daily' | Set-KbSchedule -Paused:$false").ThrowIfErrors();
        var after = Session.Invoke("Get-KbSchedule").ThrowIfErrors().Output.ToDictionary(s => (string)Property(s, "Name")!);
        Assert.Equal(false, Property(after["daily"], "Paused"));
        Assert.Equal(true, Property(after["hourly"], "Paused"));
        Assert.Equal("quiet", Property(after["hourly"], "Description"));

        var zoned = Session.Invoke("Set-KbSchedule hourly -Cron 'CRON_TZ=Europe/Berlin 0 * * * *' -PassThru").ThrowIfErrors().Output.Single();
        Assert.Equal("Europe/Berlin", Property(zoned, "TimeZone"));
        Assert.Equal("0 * * * *", Property(zoned, "Cron"));
    }

    [Fact]
    public void SetWhatIfChangesNothingAndABadChangeIsRefused()
    {
        Session.Invoke("New-KbSchedule daily -Cron '0 2 * * *'").ThrowIfErrors();
        var before = File.ReadAllText(ScheduleFile("daily"));

        Session.Invoke("Set-KbSchedule daily -Paused -WhatIf").ThrowIfErrors();
        Assert.Equal("ScheduleCronInvalid," + Cmdlets + "SetKbScheduleCommand", Session.Invoke("Set-KbSchedule daily -Cron '0 25 * * *'").SingleError().FullyQualifiedErrorId);
        Assert.Equal("ScheduleTimeZoneUnknown," + Cmdlets + "SetKbScheduleCommand", Session.Invoke("Set-KbSchedule daily -TimeZone Mars/Olympus").SingleError().FullyQualifiedErrorId);
        Assert.Equal(before, File.ReadAllText(ScheduleFile("daily")));

        Assert.Equal("ScheduleNotFound," + Cmdlets + "SetKbScheduleCommand", Session.Invoke("Set-KbSchedule nope -Paused").SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void RemoveWithWhatIfKeepsWithForceRemovesAndTheBackupsStay()
    {
        Session.Invoke("New-KbSchedule daily -Cron '0 2 * * *'; New-KbSchedule hourly -Cron '@hourly'").ThrowIfErrors();
        Seed("New-SeedBackup $repository daily-20261124020000 -Labels @{ 'kubebackup.io/schedule-name' = 'daily' }");

        Session.Invoke("Remove-KbSchedule daily -WhatIf").ThrowIfErrors();
        Assert.True(File.Exists(ScheduleFile("daily")));

        var removed = Session.Invoke("Get-KbSchedule daily | Remove-KbSchedule -Force -PassThru").ThrowIfErrors();
        Assert.Equal(["daily"], Names(removed));
        Assert.False(File.Exists(ScheduleFile("daily")));
        Assert.Equal(["hourly"], Names(Session.Invoke("Get-KbSchedule").ThrowIfErrors()));
        Assert.Equal(["daily-20261124020000"], BackupsOnDisk());

        Assert.Equal("ScheduleNotFound," + Cmdlets + "RemoveKbScheduleCommand", Session.Invoke("Remove-KbSchedule daily -Force").SingleError().FullyQualifiedErrorId);
        Assert.Empty(Session.Invoke("Remove-KbSchedule x* -Force").ThrowIfErrors().Output);
    }

    [Theory]
    [InlineData("New-KbSchedule bad -Cron '0 2 * *'", "ScheduleCronInvalid")]
    [InlineData("New-KbSchedule bad -Cron '@every 10s'", "ScheduleCronInvalid")]
    [InlineData("New-KbSchedule bad -Cron '0 2 * * *' -TimeZone Mars/Olympus", "ScheduleTimeZoneUnknown")]
    [InlineData("New-KbSchedule bad -Cron 'CRON_TZ=Nowhere/Atlantis 0 2 * * *'", "ScheduleTimeZoneUnknown")]
    [InlineData("New-KbSchedule 'bad name!' -Cron '0 2 * * *'", "ScheduleInvalid")]
    [InlineData("New-KbSchedule bad -Cron 'CRON_TZ=Europe/Berlin 0 2 * * *' -TimeZone Asia/Shanghai", "ScheduleInvalid")]
    public void BadDefinitionsAreRefusedBeforeAnythingIsWritten(string command, string errorId)
    {
        var error = Session.Invoke(command).SingleError();

        Assert.Equal(errorId + "," + Cmdlets + "NewKbScheduleCommand", error.FullyQualifiedErrorId);
        Assert.False(Directory.Exists(Path.Combine(DefaultRepository, "schedules")) && Directory.EnumerateFiles(Path.Combine(DefaultRepository, "schedules")).Any());
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("([timespan]::FromHours(-1))")]
    public void AZeroOrNegativeTtlIsRejectedWhenBinding(string ttl)
    {
        var error = Session.Invoke($"New-KbSchedule bad -Cron '@daily' -Ttl {ttl}").AllErrors.Single();

        Assert.StartsWith("ParameterArgumentValidationError,", error.FullyQualifiedErrorId);
        Assert.Contains("greater than zero", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANameThatExistsIsNotOverwritten()
    {
        Session.Invoke("New-KbSchedule daily -Cron '0 2 * * *'").ThrowIfErrors();
        var before = File.ReadAllText(ScheduleFile("daily"));

        var result = Session.Invoke("New-KbSchedule daily -Cron '0 3 * * *'; New-KbSchedule other -Cron '@hourly'");

        var error = result.SingleError();
        Assert.Equal("ScheduleExists," + Cmdlets + "NewKbScheduleCommand", error.FullyQualifiedErrorId);
        Assert.Contains("'daily'", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("storage location", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(ScheduleFile("daily")));
        Assert.Equal(["other"], Names(result));
    }

    [Fact]
    public void ASpecWithAnErrorNamesItsIdAndLine()
    {
        var badTtl = SeedSchedules.Replace("ttl: 168h", "ttl: 0s", StringComparison.Ordinal);
        var error = Session.Invoke("New-KbSchedule -Spec $args[0]", badTtl).SingleError();
        Assert.Equal("SpecInvalid," + Cmdlets + "NewKbScheduleCommand", error.FullyQualifiedErrorId);
        Assert.Contains("line 37", error.Exception.Message, StringComparison.Ordinal);

        var badCron = SeedSchedules.Replace("\"0 * * * *\"", "\"0 * * *\"", StringComparison.Ordinal);
        var cronError = Session.Invoke("New-KbSchedule -Spec $args[0]", badCron).SingleError();
        Assert.Equal("ScheduleCronInvalid," + Cmdlets + "NewKbScheduleCommand", cronError.FullyQualifiedErrorId);
        Assert.Contains("line 29", cronError.Exception.Message, StringComparison.Ordinal);

        // Nothing of a file with an error is created.
        Assert.Empty(Session.Invoke("Get-KbSchedule").ThrowIfErrors().Output);
    }

    [Fact]
    public void ASpecWithoutANameTakesTheNameParameterAndSeveralSchedulesRefuseIt()
    {
        var unnamed = """
            apiVersion: velero.io/v1
            kind: Schedule
            spec:
              schedule: "@every 6h"
              template:
                includedNamespaces: [db]
            """;
        var created = Session.Invoke("New-KbSchedule db -Spec $args[0]", unnamed).ThrowIfErrors().Output.Single();
        Assert.Equal("db", Property(created, "Name"));
        Assert.Equal("@every 6h", Property(created, "Cron"));

        Assert.Equal("SpecInvalid," + Cmdlets + "NewKbScheduleCommand", Session.Invoke("New-KbSchedule -Spec $args[0]", unnamed).SingleError().FullyQualifiedErrorId);
        Assert.Equal("SpecInvalid," + Cmdlets + "NewKbScheduleCommand",
            Session.Invoke("New-KbSchedule one -Spec $args[0] -StorageLocation $args[1]", SeedSchedules, DefaultUrl).SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void SuspendAndResumeSelectByWildcardsAndThePipeline()
    {
        Session.Invoke("New-KbSchedule hourly-a -Cron '@hourly'; New-KbSchedule hourly-b -Cron '@hourly'; New-KbSchedule daily -Cron '@daily'").ThrowIfErrors();

        var suspended = Session.Invoke("Suspend-KbSchedule hourly-* -PassThru").ThrowIfErrors();
        Assert.Equal(["hourly-a", "hourly-b"], Names(suspended));
        Assert.All(suspended.Output, s => Assert.Equal(true, Property(s, "Paused")));
        Assert.Equal(["hourly-a", "hourly-b"], Names(Session.Invoke("Get-KbSchedule | Where-Object Paused").ThrowIfErrors()));

        Session.Invoke("Suspend-KbSchedule daily -WhatIf").ThrowIfErrors();
        Assert.Equal(false, Property(Session.Invoke("Get-KbSchedule daily").ThrowIfErrors().Output.Single(), "Paused"));

        var resumed = Session.Invoke("Get-KbSchedule | Where-Object Paused | Resume-KbSchedule -Verbose").ThrowIfErrors();
        Assert.Empty(resumed.Output);
        Assert.Empty(Session.Invoke("Get-KbSchedule | Where-Object Paused").ThrowIfErrors().Output);
        Assert.Contains(Session.Invoke("Resume-KbSchedule daily -Verbose").ThrowIfErrors().Verbose, v => v.Contains("already running", StringComparison.Ordinal));

        Assert.Equal("ScheduleNotFound," + Cmdlets + "SuspendKbScheduleCommand", Session.Invoke("Suspend-KbSchedule nope").SingleError().FullyQualifiedErrorId);
    }
}
