using System.Management.Automation;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Schedules;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Runs the schedules of a storage location that are due (their latest cron slot has no backup yet), then deletes their
/// expired backups and prunes. Safe to call often and from several runners at once: a slot is backed up once. -WhatIf
/// says per schedule what would run and what would expire, and runs nothing.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "KbSchedule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ScheduleRunResult))]
public sealed class InvokeKbScheduleCommand : ClusterBackupLocationCmdlet
{
    /// <summary>The schedules to run (wildcards); default: every schedule in the location.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Leave expired backups in place (Remove-KbBackup -Expired deletes them later).</summary>
    [Parameter]
    public SwitchParameter NoExpire { get; set; }

    private readonly List<string> _names = [];
    private bool _all;

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        // Names are collected: one run decides every schedule at one moment and prunes once.
        if (Name is null)
        {
            _all = true;
        }
        else
        {
            _names.AddRange(Name.Where(n => !_names.Contains(n, StringComparer.Ordinal)));
        }
        return Task.CompletedTask;
    }

    protected override async Task EndOfInputAsync(CancellationToken cancellationToken)
    {
        var location = ResolveLocation();
        var names = _all || _names.Count == 0 ? null : _names.ToArray();
        var opened = await OpenRepositoryAsync(location, cancellationToken).ConfigureAwait(false);
        var schedules = opened is null ? [] : await new ScheduleStore(opened.Repository).ListAsync(cancellationToken).ConfigureAwait(false);
        var selected = WildcardNames.Select(schedules, names, s => s.Name, name => EmitError(new KbException(ErrorIds.ScheduleNotFound,
            KbErrorCategory.ObjectNotFound, name, $"Schedule '{name}' was not found in storage location '{location.Name}'."))).ToList();
        if (selected.Count == 0 || opened is null)
        {
            EmitVerbose($"No schedule to run in storage location '{location.Name}'.");
            return;
        }

        var now = ModuleClock.Now;
        var backups = new List<BackupSummary>();
        foreach (var info in await opened.Repository.ListBackupsAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                backups.Add(BackupRecordJson.FromInfo(info, LocationName(location)));
            }
            catch (KbException e)
            {
                EmitWarning(e.Message);
            }
        }

        // Decide and ask on the pipeline thread first; only confirmed schedules run. A schedule with nothing to do runs
        // without asking: its result says why it was skipped.
        var confirmed = new List<BackupSchedule>();
        foreach (var schedule in selected)
        {
            var what = WhatWouldHappen(schedule, backups, now);
            if (what is null)
            {
                confirmed.Add(schedule);
                continue;
            }
            var (proceed, whatIf) = await ShouldProcessOrPreviewAsync($"schedule '{schedule.Name}' in storage location '{location.Name}'", what).ConfigureAwait(false);
            if (proceed)
            {
                confirmed.Add(schedule);
            }
            else if (!whatIf)
            {
                EmitVerbose($"Schedule '{schedule.Name}' was declined; nothing was done for it.");
            }
        }
        if (confirmed.Count == 0)
        {
            return;
        }

        var connection = OpenConnection();
        var options = new ScheduleRunOptions
        {
            Clock = () => ModuleClock.Now,
            Expire = !NoExpire.IsPresent,
            Backup = new BackupRunOptions
            {
                StorageLocation = LocationName(location),
                Cluster = $"{connection.ContextName} ({connection.Server})",
            },
        };
        EmitVerbose($"Running {confirmed.Count} schedule(s) of storage location '{location.Name}' against cluster '{connection.ContextName}'.");
        using var runner = new ScheduleRunner(connection, Sink);
        var results = await runner.InvokeAsync(opened.Repository, confirmed, options, cancellationToken).ConfigureAwait(false);
        foreach (var result in results)
        {
            Emit(result);
            if (Failure(result) is { } failure)
            {
                EmitError(failure);
            }
        }
    }

    /// <summary>The -WhatIf/-Confirm text for one schedule, or null when it has nothing to run and nothing to expire.</summary>
    private string? WhatWouldHappen(BackupSchedule schedule, IReadOnlyCollection<BackupSummary> backups, DateTimeOffset now)
    {
        var parts = new List<string>();
        try
        {
            var decision = ScheduleDue.Decide(schedule, backups, now);
            if (decision.IsDue)
            {
                parts.Add($"Back up slot {decision.Slot:u} as '{decision.BackupName}'{(decision.MissedSlots > 0 ? $" (catching up {decision.MissedSlots} missed slot(s) with this one backup)" : "")}");
            }
        }
        catch (KbException)
        {
            // An invalid definition runs nothing; the run reports it as Failed.
            return null;
        }
        if (!NoExpire.IsPresent)
        {
            var expired = ScheduleDue.BackupsOf(schedule.Name, backups).Where(b => b.IsExpired(now)).Select(b => b.Name).ToList();
            if (expired.Count > 0)
            {
                parts.Add($"Delete {expired.Count} expired backup(s): {string.Join(", ", expired.Select(n => $"'{n}'"))}");
            }
        }
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    /// <summary>The error a failed result is also reported as, with the id New-KbBackup would use.</summary>
    private static KbException? Failure(ScheduleRunResult result) => result switch
    {
        { Backup.Phase: BackupPhase.Failed } => new KbException(ErrorIds.BackupFailed, KbErrorCategory.WriteError, result,
            $"Schedule '{result.Schedule}': backup '{result.BackupName}' failed: {result.Backup.FailureReason}"),
        { Backup.Phase: BackupPhase.PartiallyFailed } => new KbException(ErrorIds.BackupPartiallyFailed, KbErrorCategory.InvalidResult, result,
            $"Schedule '{result.Schedule}': backup '{result.BackupName}' partially failed: {result.Backup.FailureReason} Get-KbBackupLog '{result.BackupName}' lists every problem."),
        { Action: ScheduleAction.Failed, Slot: null } => new KbException(ErrorIds.ScheduleInvalid, KbErrorCategory.InvalidArgument, result,
            $"Schedule '{result.Schedule}' cannot run: {result.Reason}"),
        { Action: ScheduleAction.Failed } => new KbException(ErrorIds.BackupFailed, KbErrorCategory.WriteError, result,
            $"Schedule '{result.Schedule}': {result.Reason}"),
        _ => null,
    };
}
