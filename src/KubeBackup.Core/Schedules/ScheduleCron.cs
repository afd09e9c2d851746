using System.Text.RegularExpressions;
using Cronos;
using KubeBackup.Core.Common;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Schedules;

/// <summary>
/// When a schedule fires: a 5-field cron expression or a macro (<c>@yearly</c>, <c>@monthly</c>, <c>@weekly</c>,
/// <c>@daily</c>, <c>@hourly</c>), evaluated in an IANA time zone (null is UTC), or Velero's <c>@every &lt;duration&gt;</c>.
/// Velero's <c>CRON_TZ=&lt;zone&gt;</c> and <c>TZ=&lt;zone&gt;</c> prefixes are read as the zone.
/// <para>
/// Daylight saving time is Cronos's, which follows Vixie cron: a slot that falls into the spring-forward gap (02:30 on
/// a day that skips from 02:00 to 03:00) fires once, at the end of the gap (03:00 local); a slot in the fall-back overlap
/// (01:30 on a day that repeats 01:00-02:00) fires once, at its first occurrence, while expressions that fire every
/// hour or more often fire in both passes, since each pass is a real hour.
/// </para>
/// <para>
/// <c>@every</c> is a fixed interval counted from the Unix epoch (UTC), not from when a runner happened to start as in
/// Velero: every runner then computes the same slots without shared state, which is what makes "a slot is backed up
/// once" hold. <c>@every 6h</c> fires at 00:00, 06:00, 12:00 and 18:00 UTC; the zone does not apply to it.
/// </para>
/// </summary>
public sealed partial class ScheduleCron
{
    /// <summary>The anchor of <c>@every</c> intervals.</summary>
    public static readonly DateTimeOffset EveryAnchor = DateTimeOffset.UnixEpoch;

    // Backups more often than once a minute are a mistake, and cron itself cannot express them.
    private static readonly TimeSpan ShortestEvery = TimeSpan.FromMinutes(1);

    // How far back the latest slot is searched: the rarest valid expression (29 February on a Monday) fires within 28 years.
    private static readonly TimeSpan LongestGap = TimeSpan.FromDays(366 * 29);

    private readonly CronExpression? _cron;

    private ScheduleCron(string expression, string? timeZoneId, TimeZoneInfo zone, CronExpression? cron, TimeSpan? every)
    {
        Expression = expression;
        TimeZoneId = timeZoneId;
        Zone = zone;
        _cron = cron;
        Every = every;
    }

    /// <summary>The expression without any <c>CRON_TZ=</c> prefix.</summary>
    public string Expression { get; }

    /// <summary>The IANA id of the zone; null for UTC.</summary>
    public string? TimeZoneId { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>The interval of an <c>@every</c> expression; null for cron.</summary>
    public TimeSpan? Every { get; }

    [GeneratedRegex(@"^@every(\s|$)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex EveryPrefix();

    [GeneratedRegex(@"^\s*(?:CRON_TZ|TZ)=(\S*)\s+(.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ZonePrefix();

    /// <summary>
    /// Splits Velero's <c>CRON_TZ=&lt;zone&gt; &lt;expr&gt;</c> (or <c>TZ=</c>) into the expression and the zone; text
    /// without the prefix is returned as is with a null zone.
    /// </summary>
    public static (string Expression, string? TimeZone) SplitZonePrefix(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = ZonePrefix().Match(text);
        return match.Success ? (match.Groups[2].Value.Trim(), match.Groups[1].Value) : (text.Trim(), null);
    }

    /// <summary>
    /// Parses <paramref name="text"/> (which may carry a <c>CRON_TZ=</c> prefix) in <paramref name="timeZone"/>.
    /// ScheduleCronInvalid with the parser's reason; ScheduleTimeZoneUnknown naming the zone; ScheduleInvalid when the
    /// prefix and <paramref name="timeZone"/> name different zones.
    /// </summary>
    public static ScheduleCron Parse(string text, string? timeZone = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new KbException(ErrorIds.ScheduleCronInvalid, KbErrorCategory.InvalidArgument, text,
                "The cron expression is empty; give five fields (minute hour day-of-month month day-of-week), such as '0 2 * * *', or a macro such as @daily.");
        }
        var (expression, prefixZone) = SplitZonePrefix(text);
        if (prefixZone is not null && timeZone is not null && !string.Equals(prefixZone, timeZone, StringComparison.Ordinal))
        {
            throw new KbException(ErrorIds.ScheduleInvalid, KbErrorCategory.InvalidArgument, text,
                $"The cron expression '{text}' names the zone '{prefixZone}' but the schedule's time zone is '{timeZone}'; give one of them.");
        }
        var zoneId = string.IsNullOrEmpty(prefixZone ?? timeZone) ? null : prefixZone ?? timeZone;
        var zone = zoneId is null ? TimeZoneInfo.Utc : FindZone(zoneId);

        // "@every 6h" is Velero's interval; "@every_minute" is one of Cronos's macros.
        if (EveryPrefix().IsMatch(expression))
        {
            return new ScheduleCron(expression, zoneId, zone, null, ParseEvery(expression));
        }
        try
        {
            return new ScheduleCron(expression, zoneId, zone, CronExpression.Parse(expression, CronFormat.Standard), null);
        }
        catch (CronFormatException e)
        {
            throw new KbException(ErrorIds.ScheduleCronInvalid, KbErrorCategory.InvalidArgument, expression,
                $"'{expression}' is not a valid cron expression: {e.Message.TrimEnd('.')}. Give five fields (minute hour day-of-month month day-of-week), a macro (@yearly, @monthly, @weekly, @daily, @hourly) or @every <duration>.", e);
        }
    }

    /// <summary>The zone of an IANA id (on Windows, .NET converts it through ICU). ScheduleTimeZoneUnknown naming it otherwise.</summary>
    public static TimeZoneInfo FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new KbException(ErrorIds.ScheduleTimeZoneUnknown, KbErrorCategory.InvalidArgument, id,
                $"The time zone '{id}' is not known; give an IANA id such as 'Europe/Berlin', 'America/New_York' or 'Asia/Shanghai'.", e);
        }
    }

    private static TimeSpan ParseEvery(string expression)
    {
        var argument = expression["@every".Length..].Trim();
        if (!DurationParser.TryParse(argument, out var interval) || interval < ShortestEvery || interval.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new KbException(ErrorIds.ScheduleCronInvalid, KbErrorCategory.InvalidArgument, expression,
                $"'{expression}' is not a valid @every expression: give a duration of whole seconds, at least one minute, such as '@every 6h' or '@every 90m'.");
        }
        return interval;
    }

    /// <summary>The latest slot at or before <paramref name="now"/>; null when the expression never fired before it.</summary>
    public DateTimeOffset? LatestSlot(DateTimeOffset now)
    {
        if (Every is { } every)
        {
            // Whole ticks: a double would round 56 years of ticks to microseconds and misname the slot.
            return now < EveryAnchor ? null : EveryAnchor + TimeSpan.FromTicks((now - EveryAnchor).Ticks / every.Ticks * every.Ticks);
        }
        // Cronos searches forwards only: widen a window back from now until it holds a slot, then take its last.
        var floor = now.UtcDateTime - DateTime.MinValue > LongestGap ? now - LongestGap : now;
        for (var span = TimeSpan.FromHours(1); ; span *= 4)
        {
            var from = now - floor <= span ? floor : now - span;
            DateTimeOffset? last = null;
            foreach (var slot in _cron!.GetOccurrences(from, now, Zone, fromInclusive: true, toInclusive: true))
            {
                last = slot;
            }
            if (last is not null || from == floor)
            {
                return last;
            }
        }
    }

    /// <summary>The first slot after <paramref name="now"/>; null when the expression never fires again.</summary>
    public DateTimeOffset? NextSlot(DateTimeOffset now)
    {
        if (Every is { } every)
        {
            return (LatestSlot(now) ?? EveryAnchor - every) + every;
        }
        return _cron!.GetNextOccurrence(now, Zone, inclusive: false);
    }

    /// <summary>The slots after <paramref name="after"/> and at or before <paramref name="upTo"/>, in order.</summary>
    public IEnumerable<DateTimeOffset> SlotsBetween(DateTimeOffset after, DateTimeOffset upTo)
    {
        if (Every is { } every)
        {
            for (var slot = NextSlot(after); slot <= upTo; slot += every)
            {
                yield return slot!.Value;
            }
            yield break;
        }
        if (after >= upTo)
        {
            yield break;
        }
        foreach (var slot in _cron!.GetOccurrences(after, upTo, Zone, fromInclusive: false, toInclusive: true))
        {
            yield return slot;
        }
    }

    /// <summary>The expression as Velero writes it: with a <c>CRON_TZ=</c> prefix when it has a zone.</summary>
    public override string ToString() => TimeZoneId is null || Every is not null ? Expression : $"CRON_TZ={TimeZoneId} {Expression}";
}
