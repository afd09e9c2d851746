using KubeBackup.Core.Errors;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Schedules;

/// <summary>
/// The schedules of one storage location (<c>schedules/&lt;name&gt;.json</c>), shared by every runner that opens it.
/// Object stores have no atomic create: two runners creating one name at the same moment both succeed and the later
/// write wins; a definition is edited, not versioned.
/// </summary>
public sealed class ScheduleStore
{
    private readonly BackupRepository _repository;
    private readonly Func<DateTimeOffset> _clock;

    public ScheduleStore(BackupRepository repository, Func<DateTimeOffset>? clock = null)
    {
        _repository = repository ?? throw new ArgumentNullException(nameof(repository));
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>Every schedule, by name. A record that cannot be read is a warning and is left out.</summary>
    public async Task<IReadOnlyList<BackupSchedule>> ListAsync(CancellationToken cancellationToken = default)
    {
        var schedules = new List<BackupSchedule>();
        foreach (var name in await _repository.ListSchedulesAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                schedules.Add(await GetAsync(name, cancellationToken).ConfigureAwait(false));
            }
            catch (KbException e) when (e.ErrorId == ErrorIds.ScheduleNotFound)
            {
                // Removed between listing and reading.
            }
            catch (KbException e) when (e.ErrorId is ErrorIds.ScheduleRecordInvalid or ErrorIds.ScheduleInvalid)
            {
                _repository.Options.Sink.Warning(e.Message);
            }
        }
        return schedules.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>One schedule; ScheduleNotFound when there is none of that name.</summary>
    public async Task<BackupSchedule> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        BackupSchedule.ValidateName(name);
        var json = await _repository.GetScheduleAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw NotFound(name);
        return ScheduleRecordJson.Parse(name, json);
    }

    /// <summary>Saves a new schedule (validated, its zone prefix normalized, Created and Updated set); ScheduleExists if the name is taken.</summary>
    public async Task<BackupSchedule> CreateAsync(BackupSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var normalized = schedule.Normalized();
        if (await _repository.GetScheduleAsync(normalized.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new KbException(ErrorIds.ScheduleExists, KbErrorCategory.ResourceExists, normalized.Name,
                $"Schedule '{normalized.Name}' already exists in {_repository.Store.Description}; change it with Set-KbSchedule or remove it first (nothing was overwritten).");
        }
        var now = _clock();
        var saved = normalized with { Created = now, Updated = now };
        await _repository.PutScheduleAsync(saved.Name, ScheduleRecordJson.Serialize(saved), cancellationToken).ConfigureAwait(false);
        return saved;
    }

    /// <summary>Replaces an existing schedule (validated); its Created is kept and Updated set. ScheduleNotFound if there is none.</summary>
    public async Task<BackupSchedule> UpdateAsync(BackupSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var normalized = schedule.Normalized();
        var existing = await GetAsync(normalized.Name, cancellationToken).ConfigureAwait(false);
        var saved = normalized with { Created = existing.Created, Updated = _clock() };
        await _repository.PutScheduleAsync(saved.Name, ScheduleRecordJson.Serialize(saved), cancellationToken).ConfigureAwait(false);
        return saved;
    }

    /// <summary>Removes a schedule (its backups stay, and expire by their own TTL). ScheduleNotFound if there is none.</summary>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        BackupSchedule.ValidateName(name);
        if (await _repository.GetScheduleAsync(name, cancellationToken).ConfigureAwait(false) is null)
        {
            throw NotFound(name);
        }
        await _repository.DeleteScheduleAsync(name, cancellationToken).ConfigureAwait(false);
    }

    private KbException NotFound(string name) => new(ErrorIds.ScheduleNotFound, KbErrorCategory.ObjectNotFound, name,
        $"Schedule '{name}' was not found in {_repository.Store.Description}.");
}
