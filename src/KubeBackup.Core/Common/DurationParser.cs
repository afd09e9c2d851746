using System.Globalization;
using System.Text.RegularExpressions;

namespace KubeBackup.Core.Common;

/// <summary>
/// Durations as Velero and Go write them (<c>720h0m0s</c>, <c>1h30m</c>, <c>500ms</c>), plus days
/// (<c>7d</c>) because retention is said in days. TimeSpan text (<c>1.02:03:04</c>) is accepted too.
/// </summary>
public static partial class DurationParser
{
    [GeneratedRegex(@"\G(?<value>\d+(\.\d+)?|\.\d+)(?<unit>ns|us|µs|ms|s|m|h|d|w)", RegexOptions.CultureInvariant)]
    private static partial Regex Component();

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        var s = text.Trim();
        if (s == "0")
        {
            return true;
        }
        if (TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out duration) && s.Contains(':'))
        {
            return true;
        }

        var negative = s.StartsWith('-');
        var position = negative || s.StartsWith('+') ? 1 : 0;
        double ticks = 0;
        var any = false;
        var regex = Component();
        while (position < s.Length)
        {
            var match = regex.Match(s, position);
            if (!match.Success || match.Index != position)
            {
                return false;
            }
            ticks += double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture) * TicksPer(match.Groups["unit"].Value);
            position += match.Length;
            any = true;
        }
        if (!any || ticks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }
        duration = TimeSpan.FromTicks((long)(negative ? -ticks : ticks));
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration)
            ? duration
            : throw new FormatException($"'{text}' is not a duration. Use forms such as 30s, 15m, 1h30m, 720h, 7d, or a TimeSpan such as 1.00:00:00.");

    /// <summary>Velero's form: hours, minutes and seconds (<c>720h0m0s</c>).</summary>
    public static string Format(TimeSpan duration)
    {
        var sign = duration < TimeSpan.Zero ? "-" : string.Empty;
        duration = duration.Duration();
        var seconds = duration.TotalSeconds - Math.Floor(duration.TotalMinutes) * 60;
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{(long)duration.TotalHours}h{duration.Minutes}m{seconds:0.###}s");
    }

    private static double TicksPer(string unit) => unit switch
    {
        "ns" => 0.01,
        "us" or "µs" => TimeSpan.TicksPerMillisecond / 1000.0,
        "ms" => TimeSpan.TicksPerMillisecond,
        "s" => TimeSpan.TicksPerSecond,
        "m" => TimeSpan.TicksPerMinute,
        "h" => TimeSpan.TicksPerHour,
        "d" => TimeSpan.TicksPerDay,
        "w" => TimeSpan.TicksPerDay * 7,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown duration unit."),
    };
}
