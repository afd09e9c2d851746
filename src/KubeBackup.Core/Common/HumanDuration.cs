using System.Globalization;

namespace KubeBackup.Core.Common;

/// <summary>Durations and ages in messages.</summary>
public static class HumanDuration
{
    /// <summary>An age in its two largest units, as people say it: <c>8d 1h</c>, <c>2h 5m</c>, <c>45s</c>, <c>7d</c>.</summary>
    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "-" + Format(span.Negate());
        }
        if (span < TimeSpan.FromSeconds(1))
        {
            return span == TimeSpan.Zero ? "0s" : $"{(int)span.TotalMilliseconds}ms";
        }
        var parts = new (long Value, string Unit)[] { ((long)span.TotalDays, "d"), (span.Hours, "h"), (span.Minutes, "m"), (span.Seconds, "s") };
        var first = Array.FindIndex(parts, p => p.Value > 0);
        var shown = parts.Skip(first).Take(2).Where(p => p.Value > 0).Select(p => p.Value.ToString(CultureInfo.InvariantCulture) + p.Unit);
        return string.Join(" ", shown);
    }
}
