namespace KubeBackup.Infrastructure;

/// <summary>
/// The time the cmdlets that reason about schedules see (Invoke-KbSchedule, Get-KbSchedule). Tests set
/// <see cref="FixedNow"/> from the hosted engine (<c>[KubeBackup.Infrastructure.ModuleClock]::FixedNow = '2026-11-24T02:00:00Z'</c>)
/// to run a day of schedules without sleeping; nothing else sets it. A value, not a script block: Core reads the clock
/// on worker threads, where no runspace could run one. Null means the system clock.
/// </summary>
public static class ModuleClock
{
    public static DateTimeOffset? FixedNow { get; set; }

    public static DateTimeOffset Now => FixedNow ?? DateTimeOffset.UtcNow;
}
