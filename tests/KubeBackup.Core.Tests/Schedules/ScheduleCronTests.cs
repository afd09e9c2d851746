using KubeBackup.Core.Errors;
using KubeBackup.Core.Schedules;

namespace KubeBackup.Core.Tests.Schedules;

public sealed class ScheduleCronTests
{
    internal static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    [Fact]
    public void ADailyExpressionHasItsLatestAndNextSlotInUtc()
    {
        var cron = ScheduleCron.Parse("0 2 * * *");

        Assert.Null(cron.TimeZoneId);
        Assert.Equal(TimeZoneInfo.Utc, cron.Zone);
        Assert.Equal(Utc(2026, 11, 24, 2), cron.LatestSlot(Utc(2026, 11, 24, 7, 15)));
        Assert.Equal(Utc(2026, 11, 23, 2), cron.LatestSlot(Utc(2026, 11, 24, 1, 59, 59)));
        Assert.Equal(Utc(2026, 11, 25, 2), cron.NextSlot(Utc(2026, 11, 24, 7, 15)));
    }

    [Fact]
    public void TheLatestSlotIncludesNowAndTheNextExcludesIt()
    {
        var cron = ScheduleCron.Parse("0 * * * *");

        Assert.Equal(Utc(2026, 1, 1, 5), cron.LatestSlot(Utc(2026, 1, 1, 5)));
        Assert.Equal(Utc(2026, 1, 1, 6), cron.NextSlot(Utc(2026, 1, 1, 5)));
    }

    [Fact]
    public void ARareExpressionFindsASlotYearsBack()
    {
        var cron = ScheduleCron.Parse("0 0 29 2 *");

        Assert.Equal(Utc(2024, 2, 29), cron.LatestSlot(Utc(2026, 11, 24)));
        Assert.Equal(Utc(2028, 2, 29), cron.NextSlot(Utc(2026, 11, 24)));
    }

    [Theory]
    [InlineData("@yearly", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("@monthly", "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z")]
    [InlineData("@weekly", "2026-11-22T00:00:00Z", "2026-11-29T00:00:00Z")]
    [InlineData("@daily", "2026-11-24T00:00:00Z", "2026-11-25T00:00:00Z")]
    [InlineData("@hourly", "2026-11-24T07:00:00Z", "2026-11-24T08:00:00Z")]
    public void MacrosAreRead(string macro, string latest, string next)
    {
        var cron = ScheduleCron.Parse(macro);
        var now = Utc(2026, 11, 24, 7, 15);

        Assert.Equal(DateTimeOffset.Parse(latest), cron.LatestSlot(now));
        Assert.Equal(DateTimeOffset.Parse(next), cron.NextSlot(now));
    }

    [Fact]
    public void EveryIsAFixedIntervalFromTheUnixEpoch()
    {
        var cron = ScheduleCron.Parse("@every 6h");
        var now = Utc(2026, 11, 24, 7, 15);

        Assert.Equal(TimeSpan.FromHours(6), cron.Every);
        Assert.Equal(Utc(2026, 11, 24, 6), cron.LatestSlot(now));
        Assert.Equal(Utc(2026, 11, 24, 12), cron.NextSlot(now));
        Assert.Equal([Utc(2026, 11, 24, 12), Utc(2026, 11, 24, 18)], cron.SlotsBetween(now, Utc(2026, 11, 24, 18)));
        // Every runner computes the same slots, whenever it starts.
        Assert.Equal(ScheduleCron.Parse("@every 90m").LatestSlot(now), ScheduleCron.Parse("@every 1h30m").LatestSlot(now));
        Assert.Equal(Utc(2026, 11, 24, 6), ScheduleCron.Parse("@every 90m").LatestSlot(now));
        // Slots are whole seconds, however far from the anchor: their names are.
        var odd = ScheduleCron.Parse("@every 7m13s");
        Assert.All(odd.SlotsBetween(now, now + TimeSpan.FromDays(1)), s => Assert.Equal(0, s.Ticks % TimeSpan.TicksPerSecond));
        Assert.Equal(0, (odd.LatestSlot(now)!.Value - ScheduleCron.EveryAnchor).Ticks % TimeSpan.FromSeconds(433).Ticks);
    }

    [Fact]
    public void CronosEveryMinuteMacroIsNotVelerosEvery()
    {
        var cron = ScheduleCron.Parse("@every_minute");

        Assert.Null(cron.Every);
        Assert.Equal(Utc(2026, 11, 24, 7, 15), cron.LatestSlot(Utc(2026, 11, 24, 7, 15, 30)));
    }

    [Theory]
    [InlineData("@every")]
    [InlineData("@every soon")]
    [InlineData("@every 30s")]
    [InlineData("@every 1m500ms")]
    public void AnEveryShorterThanAMinuteOrNotADurationIsRefused(string text)
    {
        var e = Assert.Throws<KbException>(() => ScheduleCron.Parse(text));

        Assert.Equal(ErrorIds.ScheduleCronInvalid, e.ErrorId);
        Assert.Equal(KbErrorCategory.InvalidArgument, e.Category);
        Assert.Contains("at least one minute", e.Message);
    }

    [Theory]
    [InlineData("0 2 * *")]
    [InlineData("61 * * * *")]
    [InlineData("0 25 * * *")]
    [InlineData("every day")]
    [InlineData("@fortnightly")]
    [InlineData("0 0 0 2 * *")]
    public void AnInvalidExpressionIsScheduleCronInvalidWithTheParsersReason(string text)
    {
        var e = Assert.Throws<KbException>(() => ScheduleCron.Parse(text));

        Assert.Equal(ErrorIds.ScheduleCronInvalid, e.ErrorId);
        Assert.Equal(KbErrorCategory.InvalidArgument, e.Category);
        Assert.StartsWith($"'{text}' is not a valid cron expression: ", e.Message, StringComparison.Ordinal);
        Assert.IsType<Cronos.CronFormatException>(e.InnerException);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void AnEmptyExpressionIsRefused(string text) =>
        Assert.Equal(ErrorIds.ScheduleCronInvalid, Assert.Throws<KbException>(() => ScheduleCron.Parse(text)).ErrorId);

    [Theory]
    [InlineData("CRON_TZ=Asia/Shanghai 0 2 * * *")]
    [InlineData("TZ=Asia/Shanghai 0 2 * * *")]
    public void VelerosZonePrefixIsTheZone(string text)
    {
        var cron = ScheduleCron.Parse(text);

        Assert.Equal("0 2 * * *", cron.Expression);
        Assert.Equal("Asia/Shanghai", cron.TimeZoneId);
        // 02:00 in Shanghai (UTC+8) is 18:00 UTC the day before.
        Assert.Equal(Utc(2026, 11, 23, 18), cron.LatestSlot(Utc(2026, 11, 24, 7)));
        Assert.Equal("CRON_TZ=Asia/Shanghai 0 2 * * *", cron.ToString());
    }

    [Fact]
    public void APrefixThatContradictsTheZoneIsRefusedAndOneThatRepeatsItIsFine()
    {
        var e = Assert.Throws<KbException>(() => ScheduleCron.Parse("CRON_TZ=Asia/Tokyo 0 2 * * *", "Europe/Berlin"));
        Assert.Equal(ErrorIds.ScheduleInvalid, e.ErrorId);
        Assert.Contains("'Asia/Tokyo'", e.Message);
        Assert.Contains("'Europe/Berlin'", e.Message);

        Assert.Equal("Europe/Berlin", ScheduleCron.Parse("CRON_TZ=Europe/Berlin 0 2 * * *", "Europe/Berlin").TimeZoneId);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("Europe/Berlinn")]
    public void AnUnknownZoneIsScheduleTimeZoneUnknownNamingIt(string zone)
    {
        var e = Assert.Throws<KbException>(() => ScheduleCron.Parse("0 2 * * *", zone));

        Assert.Equal(ErrorIds.ScheduleTimeZoneUnknown, e.ErrorId);
        Assert.Equal(zone, e.Target);
        Assert.Contains($"'{zone}'", e.Message);
        Assert.Equal(ErrorIds.ScheduleTimeZoneUnknown, Assert.Throws<KbException>(() => ScheduleCron.Parse($"CRON_TZ={zone} 0 2 * * *")).ErrorId);
    }

    [Fact]
    public void AZoneMovesTheSlotWithDaylightSavingTime()
    {
        var cron = ScheduleCron.Parse("0 2 * * *", "Europe/Berlin");

        // Winter: 02:00 CET is 01:00 UTC; summer: 02:00 CEST is 00:00 UTC.
        Assert.Equal(Utc(2026, 1, 15, 1), cron.LatestSlot(Utc(2026, 1, 15, 12)));
        Assert.Equal(Utc(2026, 7, 15, 0), cron.LatestSlot(Utc(2026, 7, 15, 12)));
    }

    // Europe/Berlin skips 02:00-03:00 on 29 March 2026; America/New_York on 8 March 2026. A 02:30 slot does not exist
    // that day: it fires once, at the end of the gap (03:00 local), and on the following days at 02:30 again.
    [Theory]
    [InlineData("Europe/Berlin", 3, 29, 1, 3, 30, 0)]
    [InlineData("America/New_York", 3, 8, 7, 3, 9, 6)]
    public void A0230ScheduleOnTheSpringForwardDayRunsOnceAtTheEndOfTheGap(string zone, int month, int day, int gapEndUtcHour, int nextMonth, int nextDay, int nextUtcHour)
    {
        var cron = ScheduleCron.Parse("30 2 * * *", zone);
        var dayStart = Utc(2026, month, day) - TimeSpan.FromHours(12);

        var slots = cron.SlotsBetween(dayStart, dayStart + TimeSpan.FromHours(36)).ToList();

        var onTheDay = Utc(2026, month, day, gapEndUtcHour);
        Assert.Contains(onTheDay, slots);
        var local = TimeZoneInfo.ConvertTime(onTheDay, cron.Zone);
        Assert.Equal((3, 0), (local.Hour, local.Minute));
        Assert.Equal(Utc(2026, nextMonth, nextDay, nextUtcHour, 30), cron.NextSlot(onTheDay));
        Assert.Equal(onTheDay, cron.LatestSlot(onTheDay + TimeSpan.FromHours(5)));
    }

    // 25 October 2026 in Berlin and 1 November 2026 in New York repeat an hour (02:00-03:00 and 01:00-02:00 local).
    [Theory]
    [InlineData("Europe/Berlin", "30 2 * * *", 10, 25, 0)]
    [InlineData("America/New_York", "30 1 * * *", 11, 1, 5)]
    public void ADailySlotInTheFallBackOverlapRunsOnceAtItsFirstOccurrence(string zone, string expression, int month, int day, int firstUtcHour)
    {
        var cron = ScheduleCron.Parse(expression, zone);
        var from = Utc(2026, month, day) - TimeSpan.FromHours(12);

        var slots = cron.SlotsBetween(from, from + TimeSpan.FromHours(24)).ToList();

        Assert.Equal([Utc(2026, month, day, firstUtcHour, 30)], slots);
    }

    [Fact]
    public void AnHalfHourlyScheduleRunsInBothPassesOfTheRepeatedHour()
    {
        var cron = ScheduleCron.Parse("*/30 * * * *", "America/New_York");

        // 01:00 EDT = 05:00 UTC, then 01:00 EST = 06:00 UTC: four real half hours.
        var slots = cron.SlotsBetween(Utc(2026, 11, 1, 4, 59), Utc(2026, 11, 1, 6, 59)).ToList();

        Assert.Equal([Utc(2026, 11, 1, 5), Utc(2026, 11, 1, 5, 30), Utc(2026, 11, 1, 6), Utc(2026, 11, 1, 6, 30)], slots);
    }
}
