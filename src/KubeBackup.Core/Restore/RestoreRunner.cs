using k8s;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Cluster.Listing;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Restore;

/// <summary>
/// Restores a backup into a cluster (the engine of Restore-KbBackup), or plans it against the live target without
/// writing (-WhatIf, -PlanOnly). The record (<c>restores/&lt;name&gt;/</c>) says per item what happened and why; a re-run
/// converges: existing objects are compared, then skipped or updated by the policy, never duplicated.
/// </summary>
public sealed class RestoreRunner : IDisposable
{
    /// <summary>The backup label that names the schedule which made it (Velero's velero.io/schedule-name).</summary>
    public const string ScheduleLabel = "kubebackup.io/schedule-name";

    private readonly IKubernetes _client;
    private readonly IOperationSink _sink;
    private readonly bool _ownsClient;

    public RestoreRunner(IKubernetes client, IOperationSink? sink = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _sink = sink ?? NullOperationSink.Instance;
    }

    /// <summary>A runner with its own client for the connection: the module's way in, which must not touch KubernetesClient types.</summary>
    public RestoreRunner(Cluster.ClusterConnection connection, IOperationSink? sink = null)
        : this(connection.CreateClient(), sink)
    {
        _ownsClient = true;
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>
    /// The backup a spec names: <see cref="RestoreSpec.BackupName"/>, else the newest Completed or PartiallyFailed backup
    /// (of <see cref="RestoreSpec.ScheduleName"/> when given). A Failed backup holds nothing to restore.
    /// </summary>
    public static async Task<BackupSummary> ResolveBackupAsync(BackupRepository repository, RestoreSpec spec, CancellationToken cancellationToken)
    {
        if (spec.BackupName is { } name)
        {
            var summary = BackupRecordJson.FromInfo(await repository.GetBackupAsync(name, cancellationToken).ConfigureAwait(false), null);
            if (summary.Phase == BackupPhase.Failed)
            {
                throw new KbException(ErrorIds.NoBackupToRestore, KbErrorCategory.InvalidOperation, name,
                    $"Backup '{name}' Failed and holds no items to restore ({summary.FailureReason}).");
            }
            return summary;
        }
        foreach (var info in await repository.ListBackupsAsync(cancellationToken).ConfigureAwait(false))
        {
            BackupSummary candidate;
            try
            {
                candidate = BackupRecordJson.FromInfo(info, null);
            }
            catch (KbException)
            {
                continue;
            }
            if (candidate.Phase is BackupPhase.Completed or BackupPhase.PartiallyFailed
                && (spec.ScheduleName is null || (candidate.Labels.TryGetValue(ScheduleLabel, out var schedule) && schedule == spec.ScheduleName)))
            {
                return candidate;
            }
        }
        throw new KbException(ErrorIds.NoBackupToRestore, KbErrorCategory.ObjectNotFound, spec.ScheduleName ?? repository.Store.Description,
            spec.ScheduleName is null
                ? $"{repository.Store.Description} holds no Completed or PartiallyFailed backup to restore."
                : $"{repository.Store.Description} holds no Completed or PartiallyFailed backup of schedule '{spec.ScheduleName}'.");
    }

    /// <summary>
    /// What a restore would do with every item, judged against the live target cluster: create, skip (exists and equal,
    /// or differs), update, skip by rule, or invalid, each with its reason. Writes nothing.
    /// </summary>
    public async Task<IReadOnlyList<RestoreItemResult>> PlanAsync(BackupRepository repository, RestoreSpec spec, RestoreRunOptions options, CancellationToken cancellationToken)
    {
        RestoreSelection.Validate(spec);
        var backup = await ResolveBackupAsync(repository, spec, cancellationToken).ConfigureAwait(false);
        var journal = new BackupJournal(_sink, options.Clock);
        var reader = await repository.OpenBackupAsync(backup.Name, cancellationToken).ConfigureAwait(false);
        var discovered = await ApiDiscovery.DiscoverAsync(_client, journal, options.Retry, cancellationToken).ConfigureAwait(false);
        var name = options.Name ?? RestoreNames.Generate(backup.Name, options.Clock());
        var plan = await RestoreSelection.SelectAsync(reader, backup.VolumeSnapshots, spec, name, discovered, journal, options, cancellationToken).ConfigureAwait(false);
        await SnapshotClaims.UseExistingSnapshotsAsync(plan, new Cluster.Api.ObjectClient(_client, options.Retry), cancellationToken).ConfigureAwait(false);
        await CompareWithLiveAsync(plan, discovered, spec, options, journal, cancellationToken).ConfigureAwait(false);
        return RestoreItemResult.ReadingOrder(plan.Select(p => p.ToResult()));
    }

    /// <summary>
    /// Restores. Bad input (selectors, mapping, a missing backup, a name in use, the wrong key) throws before the cluster
    /// is touched. Item failures make it PartiallyFailed; cancellation records it as Failed with what was done, then throws.
    /// </summary>
    public async Task<RestoreSummary> RunAsync(BackupRepository repository, RestoreSpec spec, RestoreRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(spec);
        RestoreSelection.Validate(spec);
        var started = options.Clock();
        var backup = await ResolveBackupAsync(repository, spec, cancellationToken).ConfigureAwait(false);
        var name = options.Name ?? RestoreNames.Generate(backup.Name, started);
        RepositoryLayout.ValidateName(name);
        if (await repository.GetRestoreFileAsync(name, RestoreRecordJson.RecordFile, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new KbException(ErrorIds.RestoreExists, KbErrorCategory.ResourceExists, name,
                $"A restore named '{name}' exists in {repository.Store.Description}; choose another name (or omit -Name).");
        }
        var reader = await repository.OpenBackupAsync(backup.Name, cancellationToken).ConfigureAwait(false);
        var journal = new BackupJournal(_sink, options.Clock);
        var executor = new RestoreExecutor(_client, journal, options, name, spec.ExistingResourcePolicy);
        var planned = 0L;
        journal.Info($"Restore '{name}' of backup '{backup.Name}' started.");
        try
        {
            var discovered = await ApiDiscovery.DiscoverAsync(_client, journal, options.Retry, cancellationToken).ConfigureAwait(false);
            var plan = await RestoreSelection.SelectAsync(reader, backup.VolumeSnapshots, spec, name, discovered, journal, options, cancellationToken).ConfigureAwait(false);
            planned = plan.Count;
            await SnapshotClaims.UseExistingSnapshotsAsync(plan, new Cluster.Api.ObjectClient(_client, options.Retry), cancellationToken).ConfigureAwait(false);
            await executor.RunAsync(plan, cancellationToken).ConfigureAwait(false);
            var results = executor.Results;
            var phase = results.Any(r => r.Outcome == RestoreOutcome.Failed) ? RestorePhase.PartiallyFailed : RestorePhase.Completed;
            journal.Info($"Restore '{name}' {phase}: {Counts(results)}.");
            var summary = Summary(name, backup.Name, phase, spec, options, started, planned, results, journal, null);
            return await RecordAsync(repository, summary, results, journal, options, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KbException or OperationCanceledException or IOException or HttpRequestException)
        {
            var cancelled = e is OperationCanceledException && cancellationToken.IsCancellationRequested;
            var results = executor.Results;
            var reason = cancelled
                ? $"Cancelled after {results.Count} of {planned} items ({Counts(results)}). Run the same restore again: it converges, skipping or updating what exists."
                : $"{(e is KbException ? e.Message : $"{e.GetType().Name}: {e.Message}").TrimEnd('.')}. {results.Count} of {planned} items were done ({Counts(results)}).";
            journal.Error(null, reason);
            var failed = Summary(name, backup.Name, RestorePhase.Failed, spec, options, started, planned, results, journal, reason);
            using var timeout = new CancellationTokenSource(options.RecordTimeout);
            failed = await RecordAsync(repository, failed, results, journal, options, timeout.Token).ConfigureAwait(false);
            if (cancelled)
            {
                throw;
            }
            return failed;
        }
    }

    /// <summary>Lists the target's objects of the planned types (per namespace), and judges every planned create against them.</summary>
    private async Task CompareWithLiveAsync(List<PlannedItem> plan, DiscoveredResources discovered, RestoreSpec spec, RestoreRunOptions options, BackupJournal journal, CancellationToken cancellationToken)
    {
        var served = new Dictionary<(string, string), ApiResource>();
        foreach (var type in discovered.All)
        {
            served.TryAdd((type.Group, type.Resource), type);
        }
        var creates = plan.Where(p => p.Action == RestoreAction.Create && served.ContainsKey((p.Key.Group, p.Key.Resource))).ToList();
        var requests = creates.GroupBy(p => (p.Key.Group, p.Key.Version, p.Key.Resource, p.TargetNamespace))
            .Select(g => new ListRequest(
                served[(g.Key.Group, g.Key.Resource)] with { Version = g.Key.Version, Namespaced = g.Key.TargetNamespace is not null },
                // Terminating namespaces are listed, to be reported; other objects being deleted count as gone.
                new ResourceListOptions { Namespace = g.Key.TargetNamespace, Retry = options.Retry, SkipDeleting = g.Key.Resource != "namespaces" || g.Key.Group.Length > 0 }))
            .ToList();
        var live = new Dictionary<(string, string, string?, string), System.Text.Json.Nodes.JsonObject>();
        var unreadable = new Dictionary<(string, string, string?), string>();
        var lister = new ResourceLister(_client, journal);
        await foreach (var listed in lister.ListManyAsync(requests, 4, cancellationToken).ConfigureAwait(false))
        {
            if (listed.Failure is { } failure)
            {
                unreadable[(listed.Resource.Group, listed.Resource.Resource, null)] = failure.Message;
                continue;
            }
            var raw = listed.Raw!;
            live[(listed.Resource.Group, listed.Resource.Resource, raw.Namespace, raw.Name)] = raw.Parse();
        }
        foreach (var item in creates)
        {
            if (live.TryGetValue((item.Key.Group, item.Key.Resource, item.TargetNamespace, item.TargetName), out var existing) && existing["metadata"]?["deletionTimestamp"] is not null)
            {
                item.Reason = $"The namespace is terminating; a restore waits up to {options.WaitTimeout} for it to go, then creates it.";
            }
            else if (existing is not null)
            {
                (item.Action, item.ChangedFields, item.Reason) = ExistingObject.Decide(item.ParseBody(), existing, spec.ExistingResourcePolicy);
            }
            else if (unreadable.TryGetValue((item.Key.Group, item.Key.Resource, null), out var why))
            {
                item.Reason = $"Whether it exists could not be read ({why}); a restore would try to create it.";
            }
        }
    }

    private static string Counts(IReadOnlyList<RestoreItemResult> results) =>
        string.Join(", ", Enum.GetValues<RestoreOutcome>().Select(o => $"{results.Count(r => r.Outcome == o)} {o.ToString().ToLowerInvariant()}"));

    private static RestoreSummary Summary(string name, string backupName, RestorePhase phase, RestoreSpec spec, RestoreRunOptions options, DateTimeOffset started,
        long planned, IReadOnlyList<RestoreItemResult> results, BackupJournal journal, string? failureReason)
    {
        var failed = results.Count(r => r.Outcome == RestoreOutcome.Failed);
        return new RestoreSummary
        {
            Name = name,
            BackupName = backupName,
            Phase = phase,
            StorageLocation = options.StorageLocation,
            Cluster = options.Cluster,
            Started = started,
            Completed = options.Clock(),
            ItemsTotal = planned,
            Created = results.Count(r => r.Outcome == RestoreOutcome.Created),
            Updated = results.Count(r => r.Outcome == RestoreOutcome.Updated),
            Skipped = results.Count(r => r.Outcome == RestoreOutcome.Skipped),
            Failed = failed,
            FailureReason = failureReason ?? (phase == RestorePhase.Completed ? null
                : $"{failed} item{(failed == 1 ? "" : "s")} failed; the first: {results.First(r => r.Outcome == RestoreOutcome.Failed)}: {results.First(r => r.Outcome == RestoreOutcome.Failed).Reason}"),
            Problems = journal.Problems,
            Labels = spec.Labels,
            Spec = spec with { BackupName = backupName },
        };
    }

    /// <summary>Items and log first, the record last: a record that exists is complete. A location that cannot take it gets a warning, not a lost restore.</summary>
    private async Task<RestoreSummary> RecordAsync(BackupRepository repository, RestoreSummary summary, IReadOnlyList<RestoreItemResult> results, BackupJournal journal, RestoreRunOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await repository.PutRestoreFileAsync(summary.Name, RestoreRecordJson.ItemsFile, RestoreRecordJson.SerializeItems(results), cancellationToken).ConfigureAwait(false);
            await repository.PutRestoreFileAsync(summary.Name, RestoreRecordJson.LogFile, journal.LogBytes(), cancellationToken).ConfigureAwait(false);
            await repository.PutRestoreFileAsync(summary.Name, RestoreRecordJson.RecordFile, RestoreRecordJson.Serialize(summary), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KbException or OperationCanceledException or IOException or HttpRequestException)
        {
            _sink.Warning($"Restore '{summary.Name}' {summary.Phase}, but its record could not be stored in {repository.Store.Description} ({e.Message}); Get-KbRestore will not list it.");
        }
        return summary;
    }
}
