using k8s;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Restore;

namespace KubeBackup.Core.Schedules;

/// <summary>
/// Runs the schedules that are due (the engine of Invoke-KbSchedule), then expires their backups. Safe to call often and
/// from several runners at once: a slot's backup has a deterministic name (<see cref="ScheduleNames"/>) and the
/// repository refuses a second backup of one name, so a slot is backed up once. A slot whose backup failed is recorded
/// as Failed under that name and is not retried; the next slot runs as usual. Backups go to the repository the schedules
/// are read from.
/// </summary>
public sealed class ScheduleRunner : IDisposable
{
    private readonly BackupRunner _backups;
    private readonly IOperationSink _sink;

    public ScheduleRunner(IKubernetes client, IOperationSink? sink = null)
    {
        _sink = sink ?? NullOperationSink.Instance;
        _backups = new BackupRunner(client, _sink);
    }

    /// <summary>A runner with its own client for the connection: the module's way in, which must not touch KubernetesClient types.</summary>
    public ScheduleRunner(Cluster.ClusterConnection connection, IOperationSink? sink = null)
    {
        _sink = sink ?? NullOperationSink.Instance;
        _backups = new BackupRunner(connection, _sink);
    }

    public void Dispose() => _backups.Dispose();

    /// <summary>
    /// One result per schedule, in name order. Every schedule is decided at one moment (the clock read once), so a run
    /// that takes long does not drift into the next slot. Bad definitions and failed backups are results, not exceptions;
    /// only cancellation throws.
    /// </summary>
    public async Task<IReadOnlyList<ScheduleRunResult>> InvokeAsync(BackupRepository repository, IReadOnlyCollection<BackupSchedule> schedules,
        ScheduleRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(schedules);
        ArgumentNullException.ThrowIfNull(options);
        var now = options.Clock();
        var backups = await ListBackupsAsync(repository, options, cancellationToken).ConfigureAwait(false);
        var results = new List<ScheduleRunResult>();
        foreach (var schedule in schedules.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            ScheduleDecision decision;
            try
            {
                decision = ScheduleDue.Decide(schedule, backups, now);
            }
            catch (KbException e)
            {
                results.Add(new ScheduleRunResult { Schedule = schedule.Name, Action = ScheduleAction.Failed, Reason = e.Message });
                continue;
            }
            var result = decision.IsDue
                ? await RunSlotAsync(repository, schedule, decision, options, cancellationToken).ConfigureAwait(false)
                : new ScheduleRunResult { Schedule = schedule.Name, Action = ScheduleAction.Skipped, Reason = decision.Reason, Slot = decision.Slot, BackupName = decision.BackupName };
            _sink.Verbose($"Schedule '{schedule.Name}': {result.Action}{(result.Reason is null ? "" : $" ({result.Reason})")}.");
            results.Add(result);
        }
        return options.Expire ? await ExpireAsync(repository, backups, results, now, cancellationToken).ConfigureAwait(false) : results;
    }

    private static async Task<List<BackupSummary>> ListBackupsAsync(BackupRepository repository, ScheduleRunOptions options, CancellationToken cancellationToken)
    {
        var infos = await repository.ListBackupsAsync(cancellationToken).ConfigureAwait(false);
        var backups = new List<BackupSummary>();
        foreach (var info in infos)
        {
            try
            {
                backups.Add(BackupRecordJson.FromInfo(info, options.Backup.StorageLocation));
            }
            catch (KbException e) when (e.ErrorId == ErrorIds.BackupRecordInvalid)
            {
                repository.Options.Sink.Warning(e.Message);
            }
        }
        return backups;
    }

    private async Task<ScheduleRunResult> RunSlotAsync(BackupRepository repository, BackupSchedule schedule, ScheduleDecision decision, ScheduleRunOptions options, CancellationToken cancellationToken)
    {
        var name = decision.BackupName!;
        var labels = new Dictionary<string, string>(schedule.Template.Labels, StringComparer.Ordinal) { [RestoreRunner.ScheduleLabel] = schedule.Name };
        var spec = schedule.Template with { Labels = labels };
        var backupOptions = options.Backup with { Name = name, Clock = options.Clock };
        var result = new ScheduleRunResult { Schedule = schedule.Name, Action = ScheduleAction.Ran, Slot = decision.Slot, BackupName = name, MissedSlots = decision.MissedSlots };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var summary = await _backups.RunAsync(repository, spec, backupOptions, cancellationToken).ConfigureAwait(false);
                // A runner that lost the race at the commit point gets a Failed summary it could not record.
                if (summary.Phase == BackupPhase.Failed && summary.Stats is null && await IsCommittedAsync(repository, name, cancellationToken).ConfigureAwait(false))
                {
                    return result with { Action = ScheduleAction.Skipped, Reason = $"Another runner backed up this slot ('{name}')." };
                }
                return result with
                {
                    Action = summary.Phase == BackupPhase.Failed ? ScheduleAction.Failed : ScheduleAction.Ran,
                    Backup = summary,
                    Reason = Join(summary.Phase switch
                    {
                        BackupPhase.Failed => $"The backup failed: {summary.FailureReason} It keeps the slot's name, so this slot is not retried; the next slot runs as usual.",
                        BackupPhase.PartiallyFailed => $"The backup partially failed: {summary.FailureReason}",
                        _ => null,
                    }, decision.Reason),
                };
            }
            catch (KbException e) when (e.ErrorId == ErrorIds.BackupAlreadyExists)
            {
                if (await IsCommittedAsync(repository, name, cancellationToken).ConfigureAwait(false))
                {
                    return result with { Action = ScheduleAction.Skipped, Reason = $"Another runner backed up this slot ('{name}')." };
                }
                if (attempt >= options.ContentionAttempts)
                {
                    return result with { Action = ScheduleAction.Skipped, Reason = $"Another runner is backing up this slot ('{name}')." };
                }
                // Both lockers may have seen each other and backed off: pause a random while, so one goes first.
                await Task.Delay(options.ContentionPause * Random.Shared.NextDouble(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KbException or IOException or HttpRequestException)
            {
                // Refused before anything was written (an invalid template, a missing parent): nothing is recorded, the next run tries again.
                return result with { Action = ScheduleAction.Failed, Reason = $"The backup could not start: {e.Message}" };
            }
        }
    }

    private static async Task<bool> IsCommittedAsync(BackupRepository repository, string name, CancellationToken cancellationToken) =>
        await repository.Store.StatAsync(RepositoryLayout.BackupRecord(name), cancellationToken).ConfigureAwait(false) is not null;

    private static string? Join(string? first, string? second) => first is null ? second : second is null ? first : $"{first} {second}";

    /// <summary>
    /// Deletes each schedule's backups whose TTL has passed (paused schedules too: retention is not paused), as
    /// Remove-KbBackup -Expired does, then prunes once. A backup another runner deleted first is not reported twice; a
    /// prune the repository lock refuses (another runner is writing) is left to the next run.
    /// </summary>
    private async Task<IReadOnlyList<ScheduleRunResult>> ExpireAsync(BackupRepository repository, IReadOnlyList<BackupSummary> backups,
        List<ScheduleRunResult> results, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deletedAny = false;
        for (var i = 0; i < results.Count; i++)
        {
            var expired = new List<string>();
            foreach (var backup in ScheduleDue.BackupsOf(results[i].Schedule, backups).Where(b => b.IsExpired(now)).OrderBy(b => b.Started))
            {
                try
                {
                    await repository.DeleteBackupAsync(backup.Name, cancellationToken).ConfigureAwait(false);
                    expired.Add(backup.Name);
                    _sink.Verbose($"Schedule '{results[i].Schedule}': deleted backup '{backup.Name}', expired {backup.Expires:u}.");
                }
                catch (KbException e) when (e.ErrorId == ErrorIds.BackupNotFound)
                {
                    // Another runner expired it first.
                }
                catch (Exception e) when (e is KbException or IOException or HttpRequestException)
                {
                    _sink.Warning($"Schedule '{results[i].Schedule}': expired backup '{backup.Name}' could not be deleted ({e.Message}); the next run tries again.");
                }
            }
            deletedAny |= expired.Count > 0;
            results[i] = results[i] with { Expired = expired };
        }
        if (deletedAny)
        {
            try
            {
                await repository.PruneAsync(new PruneOptions(), cancellationToken).ConfigureAwait(false);
            }
            catch (KbException e) when (e.ErrorId == ErrorIds.RepositoryLocked)
            {
                _sink.Warning($"Expired backups were deleted but the repository could not be pruned now ({e.Message}); the next run or Remove-KbBackup prunes it.");
            }
        }
        return results;
    }
}
