namespace KubeBackup.Infrastructure;

/// <summary>
/// The time the cmdlets that reason about schedules see (Invoke-KbSchedule, Get-KbSchedule). Tests set
/// <see cref="Override"/> from the hosted engine (<c>[KubeBackup.Infrastructure.ModuleClock]::Override = ...</c>) to
/// run a day of schedules without sleeping; nothing else sets it. Null means the system clock.
/// </summary>
public static class ModuleClock
{
    public static Func<DateTimeOffset>? Override { get; set; }

    public static DateTimeOffset Now => Override?.Invoke() ?? DateTimeOffset.UtcNow;
}
