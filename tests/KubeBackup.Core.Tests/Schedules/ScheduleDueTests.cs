using KubeBackup.Core.Backup;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Restore;
using KubeBackup.Core.Schedules;
using static KubeBackup.Core.Tests.Schedules.ScheduleCronTests;

namespace KubeBackup.Core.Tests.Schedules;

/// <summary>The pure due computation: a schedule, the backups in its location and an injected now.</summary>
public sealed class ScheduleDueTests
{
    private static readonly DateTimeOffset Created = Utc(2026, 11, 1);

    internal static BackupSchedule Hourly(string name = "hourly", bool paused = false) => new()
    {
        Name = name,
        Cron = "0 * * * *",
        Template = new BackupSpec { Ttl = TimeSpan.FromDays(7) },
        Paused = paused,
        Created = Created,
        Updated = Created,
    };

    internal static BackupSummary Made(string schedule, DateTimeOffset slot, BackupPhase phase = BackupPhase.Completed, TimeSpan? ttl = null) => new()
    {
        Name = ScheduleNames.BackupName(schedule, slot),
        Phase = phase,
        Started = slot + TimeSpan.FromSeconds(5),
        Completed = slot + TimeSpan.FromSeconds(30),
        Expires = slot + (ttl ?? TimeSpan.FromDays(7)),
        Labels = new Dictionary<string, string> { [RestoreRunner.ScheduleLabel] = schedule },
        Spec = new BackupSpec(),
    };

    [Fact]
    public void ASlotWithoutABackupIsDueUnderItsUtcName()
    {
        var decision = ScheduleDue.Decide(Hourly(), [Made("hourly", Utc(2026, 11, 24, 6))], Utc(2026, 11, 24, 7, 15));

        Assert.True(decision.IsDue);
        Assert.Equal(Utc(2026, 11, 24, 7), decision.Slot);
        Assert.Equal("hourly-20261124070000", decision.BackupName);
        Assert.Equal(0, decision.MissedSlots);
        Assert.Null(decision.Reason);
    }

    [Fact]
    public void ASlotWithABackupIsNotDueWhateverItsPhase()
    {
        foreach (var phase in new[] { BackupPhase.Completed, BackupPhase.PartiallyFailed, BackupPhase.Failed })
        {
            var decision = ScheduleDue.Decide(Hourly(), [Made("hourly", Utc(2026, 11, 24, 7), phase)], Utc(2026, 11, 24, 7, 15));

            Assert.False(decision.IsDue);
            Assert.Contains("is backed up: 'hourly-20261124070000'", decision.Reason);
            Assert.Contains(phase.ToString(), decision.Reason);
        }
    }

    [Fact]
    public void MissedSlotsAreCountedAndOnlyTheLatestIsDue()
    {
        var decision = ScheduleDue.Decide(Hourly(), [Made("hourly", Utc(2026, 11, 24, 2))], Utc(2026, 11, 24, 7, 15));

        Assert.True(decision.IsDue);
        Assert.Equal("hourly-20261124070000", decision.BackupName);
        Assert.Equal(4, decision.MissedSlots); // 03:00, 04:00, 05:00, 06:00
        Assert.Equal(Utc(2026, 11, 24, 3), decision.FirstMissedSlot);
        Assert.Contains("Catch-up: 4 missed slots since 2026-11-24 03:00:00Z; one backup is made", decision.Reason);
    }

    [Fact]
    public void ANewScheduleBacksUpItsLatestSlotAtOnceUnlessSkipImmediately()
    {
        var created = Utc(2026, 11, 24, 7, 10);
        var schedule = Hourly() with { Created = created };

        var decision = ScheduleDue.Decide(schedule, [], Utc(2026, 11, 24, 7, 15));
        Assert.True(decision.IsDue);
        Assert.Equal(Utc(2026, 11, 24, 7), decision.Slot);
        Assert.Equal(0, decision.MissedSlots); // slots before the schedule existed are not missed

        var waiting = ScheduleDue.Decide(schedule with { SkipImmediately = true }, [], Utc(2026, 11, 24, 7, 15));
        Assert.False(waiting.IsDue);
        Assert.Contains("skipImmediately", waiting.Reason);
        Assert.True(ScheduleDue.Decide(schedule with { SkipImmediately = true }, [], Utc(2026, 11, 24, 8)).IsDue);
    }

    [Fact]
    public void A0230BerlinScheduleOnTheSpringForwardDayIsDueOnceForTheEndOfTheGap()
    {
        var schedule = Hourly("berlin") with { Cron = "30 2 * * *", TimeZone = "Europe/Berlin" };
        var yesterday = Made("berlin", Utc(2026, 3, 28, 1, 30)); // 02:30 CET

        // 03:30 CEST: the 02:30 slot did not exist today; it fired at 03:00 CEST, 01:00 UTC.
        var decision = ScheduleDue.Decide(schedule, [yesterday], Utc(2026, 3, 29, 1, 30));

        Assert.True(decision.IsDue);
        Assert.Equal("berlin-20260329010000", decision.BackupName);
        Assert.Equal(0, decision.MissedSlots);
        var done = ScheduleDue.Decide(schedule, [yesterday, Made("berlin", Utc(2026, 3, 29, 1))], Utc(2026, 3, 29, 12));
        Assert.False(done.IsDue);
        // The day after, 02:30 CEST is 00:30 UTC: 23.5 hours after the slot at the end of the gap.
        Assert.Equal(Utc(2026, 3, 30, 0, 30), ScheduleDue.Status(schedule, [], Utc(2026, 3, 29, 12)).NextRun);
        Assert.Equal(TimeSpan.FromHours(23.5), ScheduleDue.Status(schedule, [], Utc(2026, 3, 29, 12)).Interval);
    }

    [Fact]
    public void APausedScheduleIsNotDue()
    {
        var decision = ScheduleDue.Decide(Hourly(paused: true), [], Utc(2026, 11, 24, 7, 15));

        Assert.False(decision.IsDue);
        Assert.Equal("The schedule is paused.", decision.Reason);
        Assert.Equal("hourly-20261124070000", decision.BackupName);
    }

    [Fact]
    public void OtherSchedulesBackupsDoNotCount()
    {
        var other = Made("hourly-critical", Utc(2026, 11, 24, 2));

        var decision = ScheduleDue.Decide(Hourly(), [other], Utc(2026, 11, 24, 2, 30));

        Assert.True(decision.IsDue);
    }

    [Fact]
    public void ABadDefinitionIsRefused()
    {
        Assert.Equal(ErrorIds.ScheduleCronInvalid, Assert.Throws<KbException>(() => ScheduleDue.Decide(Hourly() with { Cron = "0 2 *" }, [], Utc(2026, 1, 1))).ErrorId);
        Assert.Equal(ErrorIds.ScheduleInvalid, Assert.Throws<KbException>(() => ScheduleDue.Decide(Hourly() with { Template = new BackupSpec { Ttl = TimeSpan.Zero } }, [], Utc(2026, 1, 1))).ErrorId);
        Assert.Equal(ErrorIds.ScheduleInvalid, Assert.Throws<KbException>(() => ScheduleDue.Decide(Hourly() with { Template = new BackupSpec { Ttl = TimeSpan.FromHours(-1) } }, [], Utc(2026, 1, 1))).ErrorId);
        Assert.Equal(ErrorIds.ScheduleInvalid, Assert.Throws<KbException>(() => ScheduleDue.Decide(Hourly("bad name"), [], Utc(2026, 1, 1))).ErrorId);
        Assert.Equal(ErrorIds.ScheduleInvalid, Assert.Throws<KbException>(() => ScheduleDue.Decide(Hourly(new string('a', 186)), [], Utc(2026, 1, 1))).ErrorId);
    }

    [Fact]
    public void SlotNamesRoundTripAndOthersAreNotSlots()
    {
        Assert.Equal(Utc(2026, 3, 29, 1), ScheduleNames.SlotOf("daily", "daily-20260329010000"));
        Assert.Null(ScheduleNames.SlotOf("daily", "daily-2026032901000"));
        Assert.Null(ScheduleNames.SlotOf("daily", "weekly-20260329010000"));
        Assert.Null(ScheduleNames.SlotOf("daily", "daily-20261399010000"));
        // A zone's slot is named in UTC, so every runner, wherever it runs, computes the same name.
        var berlin = TimeZoneInfo.ConvertTime(Utc(2026, 3, 29, 1), ScheduleCron.FindZone("Europe/Berlin"));
        Assert.Equal("daily-20260329010000", ScheduleNames.BackupName("daily", berlin));
    }

    [Fact]
    public void TheStatusGivesTheLastSuccessfulBackupAndItsAgeAgainstTheInterval()
    {
        var backups = new[]
        {
            Made("hourly", Utc(2026, 11, 24, 5)),
            Made("hourly", Utc(2026, 11, 24, 6), BackupPhase.Failed),
            Made("other", Utc(2026, 11, 24, 7)),
        };

        var status = ScheduleDue.Status(Hourly(), backups, Utc(2026, 11, 24, 7, 15));

        Assert.Equal(Utc(2026, 11, 24, 7), status.LastSlot);
        Assert.Equal(Utc(2026, 11, 24, 8), status.NextRun);
        Assert.Equal(TimeSpan.FromHours(1), status.Interval);
        Assert.Equal("hourly-20261124060000", status.LastBackup!.Name);
        Assert.Equal("hourly-20261124050000", status.LastSuccessfulBackup!.Name);
        Assert.Equal(TimeSpan.FromMinutes(135) - TimeSpan.FromSeconds(5), status.LastSuccessfulAge);
        Assert.True(status.IsLate); // older than two intervals
        Assert.False(ScheduleDue.Status(Hourly(), backups, Utc(2026, 11, 24, 6, 30)).IsLate);
        Assert.False(ScheduleDue.Status(Hourly(paused: true), backups, Utc(2026, 11, 24, 9)).IsLate);
    }

    [Fact]
    public void AScheduleWithNoBackupIsLateOnceItIsOlderThanTwoIntervals()
    {
        var schedule = Hourly() with { Created = Utc(2026, 11, 24, 6, 30) };

        Assert.False(ScheduleDue.Status(schedule, [], Utc(2026, 11, 24, 8)).IsLate);
        var late = ScheduleDue.Status(schedule, [], Utc(2026, 11, 24, 8, 31));
        Assert.True(late.IsLate);
        Assert.Null(late.LastSuccessfulBackup);
        Assert.Null(late.LastSuccessfulAge);
    }
}
