using System.Globalization;

namespace KubeApiEmulator.Faults;

/// <summary>
/// Fault rules as the standalone emulator takes them (<c>--fault</c>), so tests that drive it from another process
/// (the hosted PowerShell engine, kubectl) can inject faults too: <c>KIND:VERB:RESOURCE[:COUNT]</c>, where KIND is
/// <c>throttle</c>, <c>error</c>, <c>unavailable</c>, <c>drop</c> or <c>delay=MILLISECONDS</c>, VERB and RESOURCE may
/// be <c>*</c>, and COUNT limits how many requests the rule hits (default: all).
/// </summary>
public static class FaultRuleText
{
    public static FaultRule Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length is < 3 or > 4)
        {
            throw new ArgumentException($"--fault '{text}' must be KIND:VERB:RESOURCE[:COUNT], e.g. error:list:configmaps or throttle:list:secrets:2");
        }
        string? verb = parts[1] == "*" ? null : parts[1];
        string? resource = parts[2] == "*" ? null : parts[2];
        int? count = parts.Length == 4
            ? int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"--fault '{text}': COUNT must be a positive number")
            : null;
        return parts[0] switch
        {
            "throttle" => FaultRule.Throttle(verb, resource, maxCount: count),
            "error" => FaultRule.ServerError(verb, resource, maxCount: count),
            "unavailable" => FaultRule.Unavailable(verb, resource, maxCount: count),
            "drop" => FaultRule.Drop(verb, resource, maxCount: count),
            var delay when delay.StartsWith("delay=", StringComparison.Ordinal)
                && int.TryParse(delay["delay=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) =>
                FaultRule.Delay(TimeSpan.FromMilliseconds(ms), verb, resource, maxCount: count),
            _ => throw new ArgumentException($"--fault '{text}': KIND must be throttle, error, unavailable, drop or delay=MILLISECONDS"),
        };
    }
}
