using System.Management.Automation;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Schedules;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.Locations;

namespace KubeBackup.Infrastructure;

/// <summary>
/// A cmdlet that reads or changes the schedules of a storage location (<c>schedules/&lt;name&gt;.json</c> in its
/// repository, so every runner sees the same ones). Times are <see cref="ModuleClock.Now"/>, which tests fix.
/// </summary>
public abstract class ScheduleCmdlet : BackupLocationCmdlet
{
    private readonly Dictionary<StorageLocation, IReadOnlyList<BackupSummary>> _backups = [];

    protected static ScheduleStore StoreOf(LocationRepository opened) => new(opened.Repository, () => ModuleClock.Now);

    protected static KbException ScheduleNotFound(string name, StorageLocation location) =>
        new(ErrorIds.ScheduleNotFound, KbErrorCategory.ObjectNotFound, name, $"Schedule '{name}' was not found in storage location '{location.Name}'.");

    /// <summary>
    /// The schedules of a location that <paramref name="names"/> select (wildcards; all when null), by name; a plain
    /// name that matches none is a ScheduleNotFound error, an invalid one ScheduleInvalid.
    /// </summary>
    protected async Task<IReadOnlyList<BackupSchedule>> SelectSchedulesAsync(StorageLocation location, LocationRepository? opened, IReadOnlyList<string>? names, CancellationToken cancellationToken)
    {
        if (opened is null)
        {
            foreach (var name in (names ?? []).Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
            {
                EmitError(ScheduleNotFound(name, location));
            }
            return [];
        }
        var store = StoreOf(opened);
        if (names is not null && !names.Any(WildcardPattern.ContainsWildcardCharacters))
        {
            var found = new List<BackupSchedule>();
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                try
                {
                    found.Add(await store.GetAsync(name, cancellationToken).ConfigureAwait(false));
                }
                catch (KbException e) when (e.ErrorId == ErrorIds.ScheduleNotFound)
                {
                    EmitError(ScheduleNotFound(name, location));
                }
                catch (KbException e) when (e.ErrorId is ErrorIds.ScheduleInvalid or ErrorIds.ScheduleRecordInvalid)
                {
                    EmitError(e);
                }
            }
            return found;
        }
        var all = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        return WildcardNames.Select(all, names?.ToArray(), s => s.Name, name => EmitError(ScheduleNotFound(name, location))).ToList();
    }

    /// <summary>The schedule with its status against the backups of its location (listed once per location and command).</summary>
    protected async Task<ScheduleInfo> InfoAsync(StorageLocation location, LocationRepository opened, BackupSchedule schedule, CancellationToken cancellationToken)
    {
        if (!_backups.TryGetValue(location, out var backups))
        {
            backups = await SelectBackupsAsync(location, opened, null, cancellationToken).ConfigureAwait(false);
            _backups[location] = backups;
        }
        return ScheduleInfo.From(schedule, ScheduleDue.Status(schedule, backups, ModuleClock.Now), LocationName(location));
    }

    /// <summary>
    /// Pauses or resumes the schedules <paramref name="names"/> select in the bound location (Suspend-KbSchedule,
    /// Resume-KbSchedule); one already in that state is left as it is, with a verbose message.
    /// </summary>
    protected async Task SetPausedAsync(IReadOnlyList<string> names, bool paused, bool passThru, CancellationToken cancellationToken)
    {
        var location = ResolveLocation();
        var opened = await OpenRepositoryAsync(location, cancellationToken).ConfigureAwait(false);
        var verb = paused ? "Pause" : "Resume";
        foreach (var schedule in await SelectSchedulesAsync(location, opened, names, cancellationToken).ConfigureAwait(false))
        {
            var result = schedule;
            if (schedule.Paused == paused)
            {
                EmitVerbose($"Schedule '{schedule.Name}' in storage location '{location.Name}' is already {(paused ? "paused" : "running")}.");
            }
            else if (await ShouldProcessAsync($"schedule '{schedule.Name}' in storage location '{location.Name}'", $"{verb} schedule").ConfigureAwait(false))
            {
                try
                {
                    result = await StoreOf(opened!).UpdateAsync(schedule with { Paused = paused }, cancellationToken).ConfigureAwait(false);
                }
                catch (KbException e)
                {
                    EmitError(e.ErrorId == ErrorIds.ScheduleNotFound ? ScheduleNotFound(schedule.Name, location) : e);
                    continue;
                }
                EmitVerbose($"{verb}d schedule '{schedule.Name}' in storage location '{location.Name}'.");
            }
            else
            {
                continue;
            }
            if (passThru)
            {
                Emit(await InfoAsync(location, opened!, result, cancellationToken).ConfigureAwait(false));
            }
        }
    }

    /// <summary>Forgets the listed backups of a location, after a change that the status must see.</summary>
    protected void ForgetBackups(StorageLocation location) => _backups.Remove(location);
}
