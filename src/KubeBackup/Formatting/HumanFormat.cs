using System.Globalization;

namespace KubeBackup.Formatting;

/// <summary>
/// Short human forms for the format views (KubeBackup.format.ps1xml): sizes in KB/MB/GB, ages and time left as
/// kubectl prints them (<c>45s</c>, <c>5m</c>, <c>3h</c>, <c>2d</c>). Only .NET types in its signatures: the
/// views call it as <c>[KubeBackup.Formatting.HumanFormat]::Size($_.Size)</c>.
/// </summary>
public static class HumanFormat
{
    private static readonly string[] Units = ["KB", "MB", "GB", "TB", "PB"];

    /// <summary><c>512 B</c>, <c>1.5 KB</c>, <c>23 MB</c>: binary units, one decimal below 10, none above.</summary>
    public static string Size(long bytes)
    {
        if (bytes < 1024)
        {
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }
        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        var text = value < 10 ? (Math.Floor(value * 10) / 10).ToString("0.#", CultureInfo.InvariantCulture) : Math.Floor(value).ToString("0", CultureInfo.InvariantCulture);
        return text + " " + Units[unit];
    }

    /// <summary>The largest whole unit, as kubectl's AGE column: <c>45s</c>, <c>5m</c>, <c>3h</c>, <c>2d</c>, <c>400d</c>.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }
        return span.TotalSeconds < 60 ? $"{(int)span.TotalSeconds}s"
            : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes}m"
            : span.TotalHours < 48 ? $"{(int)span.TotalHours}h"
            : $"{(int)span.TotalDays}d";
    }

    /// <summary>A duration in its two largest units, to the millisecond below a second: <c>332ms</c>, <c>2m 5s</c>, <c>1h</c> (RTO, RPO).</summary>
    public static string Precise(TimeSpan span) => Core.Common.HumanDuration.Format(span);

    /// <summary>How long ago <paramref name="time"/> was.</summary>
    public static string Age(DateTimeOffset time) => Age(time, DateTimeOffset.UtcNow);

    public static string Age(DateTimeOffset time, DateTimeOffset now) => Duration(now - time);

    /// <summary><c>in 29d</c>, <c>expired</c>, or <c>never</c> for a backup kept forever.</summary>
    public static string Expires(DateTimeOffset expires) => Expires(expires, DateTimeOffset.UtcNow);

    public static string Expires(DateTimeOffset expires, DateTimeOffset now) =>
        expires == DateTimeOffset.MaxValue || expires.Year >= 9999 ? "never"
        : expires <= now ? "expired"
        : "in " + Duration(expires - now);

    /// <summary>The first <paramref name="shown"/> of <paramref name="paths"/> and how many more: <c>spec.replicas, data.color +2 more</c>.</summary>
    public static string Fields(string[]? paths, int shown = 2)
    {
        if (paths is null || paths.Length == 0)
        {
            return "";
        }
        var text = string.Join(", ", paths.Take(shown));
        return paths.Length > shown ? $"{text} +{paths.Length - shown} more" : text;
    }
}
