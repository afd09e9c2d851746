using System.Collections.Concurrent;
using k8s;
using KubeBackup.Core.Backup.Hooks;
using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Cluster.Listing;
using KubeBackup.Core.Cluster.Selectors;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Backup;

/// <summary>
/// Runs a backup of a cluster into a repository (the engine of New-KbBackup). The phase tells the outcome: Completed;
/// PartiallyFailed when items, types or hooks failed (each named in the problems); Failed when the backup could not be
/// written (storage, cluster unreachable, cancellation), recorded with the reason and no items, so nothing
/// half-written is ever visible and the next backup starts clean.
/// </summary>
public sealed class BackupRunner : IDisposable
{
    private readonly IKubernetes _client;
    private readonly IOperationSink _sink;
    private readonly bool _ownsClient;

    public BackupRunner(IKubernetes client, IOperationSink? sink = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _sink = sink ?? NullOperationSink.Instance;
    }

    /// <summary>A runner with its own client for the connection: the module's way in, which must not touch KubernetesClient types.</summary>
    public BackupRunner(Cluster.ClusterConnection connection, IOperationSink? sink = null)
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
    /// Backs up. Bad input (an invalid selector or name, a name that exists) throws before anything is written; a
    /// failure while backing up returns a Failed summary; cancellation records the backup as Failed, then throws.
    /// </summary>
    public async Task<BackupSummary> RunAsync(BackupRepository repository, BackupSpec spec, BackupRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(spec);
        Validate(spec);
        var started = options.Clock();
        var name = options.Name ?? await FreeGeneratedNameAsync(repository, started, cancellationToken).ConfigureAwait(false);
        RepositoryLayout.ValidateName(name);
        var parent = await FindParentAsync(repository, spec, cancellationToken).ConfigureAwait(false);
        var journal = new BackupJournal(_sink, options.Clock);
        // Checks the hook specs (BackupHookInvalid) before anything is written.
        var hooks = new BackupHookRunner(_client, spec.Hooks, journal);
        var writer = await repository.BeginBackupAsync(name, parent, cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            journal.Info($"Backup '{name}' started{(parent is null ? "" : $", incremental to '{parent}'")}.");
            var resourceCounts = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
            BackupCollector? collector = null;
            var snapshots = spec.SnapshotVolumes ? new VolumeSnapshotStep(_client, name, spec, journal, options.Clock) : null;
            try
            {
                collector = await PrepareAsync(spec, journal, options, cancellationToken).ConfigureAwait(false);
                await collector.CollectAsync(async (type, key, json, token) =>
                {
                    await writer.AddItemAsync(key, json, token).ConfigureAwait(false);
                    resourceCounts.AddOrUpdate(type.FullName, 1, (_, n) => n + 1);
                }, hooks, cancellationToken, snapshots).ConfigureAwait(false);

                var stats = writer.Stats;
                var phase = journal.ErrorCount == 0 ? BackupPhase.Completed : BackupPhase.PartiallyFailed;
                journal.Info($"Backup '{name}' {phase}: {stats.Items} of {collector.Selected} items, {stats.BytesAdded} bytes added.");
                var summary = Summary(name, phase, spec, options, started, parent, journal, collector.Selected, stats.Items, stats.LogicalBytes, stats.BytesAdded, resourceCounts, snapshots?.Taken);
                var info = await writer.CommitAsync(BackupRecordJson.Serialize(summary), journal.LogBytes(), cancellationToken).ConfigureAwait(false);
                return BackupRecordJson.FromInfo(info, options.StorageLocation);
            }
            catch (Exception e) when (e is KbException or OperationCanceledException or IOException or HttpRequestException)
            {
                await writer.AbortAsync(CancellationToken.None).ConfigureAwait(false);
                var cancelled = e is OperationCanceledException && cancellationToken.IsCancellationRequested;
                var reason = cancelled
                    ? $"Cancelled after {collector?.Selected ?? 0} items were read; nothing of it was kept."
                    : $"{(e is KbException ? e.Message : $"{e.GetType().Name}: {e.Message}").TrimEnd('.')}. Nothing of the backup was kept.";
                if (snapshots?.Taken.Any(s => s.Content is not null) == true)
                {
                    journal.Warn(null, $"The volume snapshots this backup took are kept; delete them with: Get-KbVolumeSnapshot -AllNamespaces -Selector {Restore.RestoreLabels.BackupName}={Restore.RestoreLabels.Value(name)} | Remove-KbVolumeSnapshot");
                }
                journal.Error(null, reason);
                var failed = Summary(name, BackupPhase.Failed, spec, options, started, parent, journal, collector?.Selected ?? 0, 0, 0, 0, new Dictionary<string, long>(), snapshots?.Taken);
                failed = await RecordFailureAsync(repository, failed, journal, options).ConfigureAwait(false);
                if (cancelled)
                {
                    throw;
                }
                return failed;
            }
        }
    }

    /// <summary>What a backup would take, per namespace and resource type, without writing anything or running hooks.</summary>
    public async Task<BackupPreview> PreviewAsync(BackupSpec spec, BackupRunOptions options, CancellationToken cancellationToken)
    {
        Validate(spec);
        var journal = new BackupJournal(_sink, options.Clock);
        _ = new BackupHookRunner(_client, spec.Hooks, journal); // the same hook checks as a backup, though none runs
        var collector = await PrepareAsync(spec, journal, options, cancellationToken).ConfigureAwait(false);
        var counts = new ConcurrentDictionary<(string?, string), long>();
        await collector.CollectAsync((type, key, _, _) =>
        {
            counts.AddOrUpdate((key.Namespace, type.FullName), 1, (_, n) => n + 1);
            return ValueTask.CompletedTask;
        }, hooks: null, cancellationToken).ConfigureAwait(false);
        var rows = counts.Select(p => new BackupPreviewRow(p.Key.Item1, p.Key.Item2, p.Value))
            .OrderBy(r => r.Namespace ?? "", StringComparer.Ordinal).ThenBy(r => r.Resource, StringComparer.Ordinal).ToList();
        return new BackupPreview(rows, journal.Problems);
    }

    /// <summary>Selectors and TTL are checked before a backup starts, so bad input never leaves a record.</summary>
    private static void Validate(BackupSpec spec)
    {
        LabelSelector.ValidateSpec(spec.LabelSelector, spec.OrLabelSelectors, ErrorIds.BackupSpecInvalid);
        if (spec.Ttl <= TimeSpan.Zero)
        {
            throw new KbException(ErrorIds.BackupSpecInvalid, KbErrorCategory.InvalidArgument, spec.Ttl,
                $"The TTL must be positive; {spec.Ttl} would expire the backup before it is written.");
        }
    }

    private async Task<BackupCollector> PrepareAsync(BackupSpec spec, BackupJournal journal, BackupRunOptions options, CancellationToken cancellationToken)
    {
        var discovered = await ApiDiscovery.DiscoverAsync(_client, journal, options.ListRetry, cancellationToken).ConfigureAwait(false);
        foreach (var group in discovered.FailedGroups)
        {
            journal.Error(group.GroupVersion, $"Not backed up: discovery of the API group failed ({group.Reason}).");
        }
        var lister = new ResourceLister(_client, journal);
        var scope = await BackupScope.ResolveAsync(lister, discovered, spec, journal,
            new ResourceListOptions { PageSize = options.PageSize, Retry = options.ListRetry }, cancellationToken).ConfigureAwait(false);
        return new BackupCollector(_client, scope, journal, options);
    }

    private static BackupSummary Summary(string name, BackupPhase phase, BackupSpec spec, BackupRunOptions options, DateTimeOffset started, string? parent,
        BackupJournal journal, long total, long backedUp, long size, long added, IReadOnlyDictionary<string, long> counts, IReadOnlyList<BackupVolumeSnapshot>? snapshots)
    {
        var now = options.Clock();
        var errors = journal.ErrorCount;
        return new BackupSummary
        {
            Name = name,
            Phase = phase,
            StorageLocation = options.StorageLocation,
            Cluster = options.Cluster,
            Started = started,
            Completed = now,
            Expires = started + spec.Ttl,
            Parent = parent,
            ItemsTotal = total,
            ItemsBackedUp = backedUp,
            Size = size,
            SizeAdded = added,
            FailureReason = phase == BackupPhase.Completed ? null
                : phase == BackupPhase.Failed ? journal.Problems.LastOrDefault(p => p.Severity == BackupProblemSeverity.Error)?.Message
                : $"{errors} error{(errors == 1 ? "" : "s")}; the first: {journal.FirstError}",
            Problems = journal.Problems,
            Labels = spec.Labels,
            Spec = spec,
            ResourceCounts = counts,
            VolumeSnapshots = snapshots ?? [],
        };
    }

    /// <summary>A Failed record under the backup's name, so the failure is visible in Get-KbBackup; a new writer, since the first was aborted.</summary>
    private async Task<BackupSummary> RecordFailureAsync(BackupRepository repository, BackupSummary failed, BackupJournal journal, BackupRunOptions options)
    {
        using var timeout = new CancellationTokenSource(options.FailureRecordTimeout);
        try
        {
            var writer = await repository.BeginBackupAsync(failed.Name, failed.Parent, timeout.Token).ConfigureAwait(false);
            await using (writer.ConfigureAwait(false))
            {
                var info = await writer.CommitAsync(BackupRecordJson.Serialize(failed), journal.LogBytes(), timeout.Token).ConfigureAwait(false);
                return BackupRecordJson.FromInfo(info, options.StorageLocation);
            }
        }
        catch (Exception e) when (e is KbException or OperationCanceledException or IOException or HttpRequestException)
        {
            _sink.Warning($"Backup '{failed.Name}' failed and its failure could not be recorded either ({e.Message}); nothing of it is in the repository.");
            return failed;
        }
    }

    /// <summary>The newest backup of the same scope that holds items: the lineage an incremental backup records.</summary>
    private static async Task<string?> FindParentAsync(BackupRepository repository, BackupSpec spec, CancellationToken cancellationToken)
    {
        var scope = ScopeKey(spec);
        foreach (var info in await repository.ListBackupsAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var summary = BackupRecordJson.FromInfo(info, null);
                if (summary.Phase is BackupPhase.Completed or BackupPhase.PartiallyFailed && ScopeKey(summary.Spec) == scope)
                {
                    return info.Name;
                }
            }
            catch (KbException)
            {
                // Not a backup this module wrote; it cannot be a parent.
            }
        }
        return null;
    }

    private static string ScopeKey(BackupSpec spec)
    {
        var json = BackupRecordJson.SpecToJson(spec);
        json.Remove("ttl");
        json.Remove("hooks");
        json.Remove("storageLocation");
        json.Remove("snapshotVolumes");
        json.Remove("csiSnapshotTimeout");
        return json.ToJsonString();
    }

    private static async Task<string> FreeGeneratedNameAsync(BackupRepository repository, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = BackupNames.Generate(now);
        for (var n = 2; await repository.Store.StatAsync(RepositoryLayout.BackupRecord(name), cancellationToken).ConfigureAwait(false) is not null; n++)
        {
            name = $"{BackupNames.Generate(now)}-{n}";
        }
        return name;
    }
}
