using KubeBackup.Core.Backup;
using KubeBackup.Core.Cluster;
using KubeBackup.Core.Common;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Restore;

namespace KubeBackup.Core.Failover;

/// <summary>What <see cref="StandbySync"/> applies.</summary>
public sealed record StandbySyncOptions
{
    /// <summary>The backup to apply; null: the newest Completed or PartiallyFailed one (of <see cref="ScheduleName"/>).</summary>
    public string? BackupName { get; init; }

    public string? ScheduleName { get; init; }

    /// <summary>Namespaces of the backup to sync (wildcards); empty: every namespace it holds.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public string? AnnotationPrefix { get; init; }

    /// <summary>Restore even when the namespaces were synced from this backup already.</summary>
    public bool Force { get; init; }

    public RestoreRunOptions Restore { get; init; } = new();
}

/// <summary>
/// The backup a sync applies and where; <see cref="UpToDate"/> when it (or newer data) was applied already, with the
/// <see cref="Reason"/>.
/// </summary>
public sealed record StandbySyncPlan(BackupSummary Backup, IReadOnlyList<string> Namespaces, bool UpToDate, string? Reason = null)
{
    /// <summary>When up to date: the backup(s) the namespaces hold and the oldest data time among them (the standby's RPO).</summary>
    public (string Backup, DateTimeOffset DataTime)? Applied { get; init; }
}

/// <summary>
/// Keeps a warm standby (Tier-2) in step with the primary: restores a backup of the primary into the DR cluster in
/// standby form — objects updated to the backed-up state, Deployments and StatefulSets at 0 replicas with their count
/// in the standby annotation — then puts on standby any workload the restore did not touch, and marks each namespace
/// with the backup and its time (<see cref="StandbyMarks"/>), which failover's replication check reads.
/// </summary>
public sealed class StandbySync(ClusterConnection connection, IOperationSink? sink = null)
{
    private readonly ClusterConnection _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    private readonly IOperationSink _sink = sink ?? NullOperationSink.Instance;

    /// <summary>The label of the restore records syncs write, for finding (and removing) them.</summary>
    public const string SyncLabel = "kubebackup.io/standby-sync";

    /// <summary>Namespaces every cluster runs its own system in.</summary>
    private static readonly HashSet<string> SystemNamespaces = new(StringComparer.Ordinal) { "kube-system", "kube-public", "kube-node-lease" };

    public async Task<StandbySyncPlan> PlanAsync(BackupRepository repository, StandbySyncOptions options, CancellationToken cancellationToken)
    {
        var backup = await RestoreRunner.ResolveBackupAsync(repository, new RestoreSpec { BackupName = options.BackupName, ScheduleName = options.ScheduleName }, cancellationToken).ConfigureAwait(false);
        var reader = await repository.OpenBackupAsync(backup.Name, cancellationToken).ConfigureAwait(false);
        var held = (await reader.GetManifestAsync(cancellationToken).ConfigureAwait(false))
            .Select(e => e.Key.Namespace).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var patterns = new NamePatterns(options.Namespaces);
        var namespaces = patterns.MatchesEverything ? held : held.Where(patterns.Matches).ToList();
        // The DR cluster's own system (its DNS, its controllers) must not be replaced by the primary's or put to sleep:
        // system namespaces are synced only when named exactly.
        var system = namespaces.Where(n => SystemNamespaces.Contains(n) && !patterns.Texts.Contains(n)).ToList();
        if (system.Count > 0)
        {
            namespaces = namespaces.Except(system).ToList();
            _sink.Warning($"Backup '{backup.Name}' holds the system namespace(s) {string.Join(", ", system)}; they are not synced (name them exactly in -Namespace to sync them).");
        }
        if (namespaces.Count == 0)
        {
            throw new KbException(ErrorIds.StandbyNothingToSync, KbErrorCategory.ObjectNotFound, backup.Name,
                $"Backup '{backup.Name}' holds no namespace{(patterns.MatchesEverything ? "" : $" matching {string.Join(", ", patterns.Texts)}")}; it holds {(held.Count == 0 ? "no namespaced objects" : string.Join(", ", held))}.");
        }
        foreach (var missing in patterns.Unmatched(held))
        {
            _sink.Warning($"Backup '{backup.Name}' holds no namespace matching '{missing}'.");
        }
        using var workloads = new StandbyWorkloads(_connection);
        var applied = new List<(string? Backup, DateTimeOffset? DataTime)>();
        foreach (var ns in namespaces)
        {
            var live = await workloads.GetNamespaceAsync(ns, cancellationToken).ConfigureAwait(false);
            if (StandbyMarks.Promoted(live) is { } promoted)
            {
                throw new KbException(ErrorIds.StandbyPromoted, KbErrorCategory.InvalidOperation, ns,
                    $"Namespace '{ns}' in cluster '{_connection.ContextName}' serves since a failover at {promoted} ({StandbyMarks.PromotedAnnotation}); a sync would put its workloads to sleep. To make it a standby again, run Set-KbStandby -Context {_connection.ContextName} -Namespace {ns} first.");
            }
            applied.Add((StandbyMarks.Backup(live), StandbyMarks.DataTime(live)));
        }
        if (options.Force)
        {
            return new StandbySyncPlan(backup, namespaces, false);
        }
        if (applied.All(a => a.Backup == backup.Name))
        {
            return new StandbySyncPlan(backup, namespaces, true, $"Every namespace was synced from backup '{backup.Name}' already; nothing restored (-Force restores again).") { Applied = (backup.Name, backup.Started) };
        }
        // Older data never replaces newer (several backups piped in, newest first): only -Force does that.
        if (applied.All(a => a.DataTime > backup.Started))
        {
            var newer = string.Join(", ", applied.Select(a => a.Backup).Distinct());
            return new StandbySyncPlan(backup, namespaces, true, $"Every namespace holds newer data (from backup {newer}) than backup '{backup.Name}'; nothing restored (-Force restores it anyway).")
            {
                Applied = (newer, applied.Min(a => a.DataTime)!.Value),
            };
        }
        return new StandbySyncPlan(backup, namespaces, false);
    }

    /// <summary>-WhatIf: what a run of <paramref name="plan"/> would apply; nothing is restored.</summary>
    public StandbySyncResult Preview(StandbySyncPlan plan, StandbySyncOptions options) =>
        ResultOf(plan, options, StandbySyncStatus.Planned, null, 0, "-WhatIf: nothing was restored.");

    public async Task<StandbySyncResult> RunAsync(BackupRepository repository, StandbySyncPlan plan, StandbySyncOptions options, CancellationToken cancellationToken)
    {
        var backup = plan.Backup;
        if (plan.UpToDate)
        {
            return ResultOf(plan, options, StandbySyncStatus.UpToDate, null, 0, plan.Reason!);
        }

        var annotation = StandbyWorkloads.Annotation(options.AnnotationPrefix);
        var spec = new RestoreSpec
        {
            BackupName = backup.Name,
            IncludedNamespaces = plan.Namespaces,
            ExistingResourcePolicy = ExistingResourcePolicy.Update,
            StandbyAnnotation = annotation,
            Labels = new Dictionary<string, string> { [SyncLabel] = "true" },
        };
        RestoreSummary summary;
        using (var runner = new RestoreRunner(_connection, _sink))
        {
            summary = await runner.RunAsync(repository, spec, options.Restore with { Cluster = Cluster }, cancellationToken).ConfigureAwait(false);
        }
        if (summary.Phase != RestorePhase.Completed)
        {
            return ResultOf(plan, options, summary.Phase == RestorePhase.Failed ? StandbySyncStatus.Failed : StandbySyncStatus.PartiallyFailed, summary.Name, 0,
                $"Restore '{summary.Name}' {summary.Phase}: {summary.FailureReason} The namespaces keep their previous sync mark. Get-KbRestoreItem '{summary.Name}' -Outcome Failed lists the failed items.");
        }

        // Workloads the backup does not hold (made in the DR cluster, or deleted on the primary) must not run either.
        using var standby = new StandbyWorkloads(_connection);
        var count = 0;
        var problems = new List<string>();
        foreach (var ns in plan.Namespaces)
        {
            foreach (var result in await Task.WhenAll((await standby.PlanAsync(ns, options.AnnotationPrefix, cancellationToken).ConfigureAwait(false))
                .Select(p => standby.ApplyAsync(p, cancellationToken))).ConfigureAwait(false))
            {
                if (result.Action == StandbyAction.Failed)
                {
                    problems.Add(result.Message ?? result.ToString());
                }
                count++;
            }
        }
        if (problems.Count > 0)
        {
            return ResultOf(plan, options, StandbySyncStatus.PartiallyFailed, summary.Name, count - problems.Count,
                $"Restored, but {problems.Count} workload(s) could not be put on standby: {string.Join("; ", problems)} The namespaces keep their previous sync mark.");
        }
        foreach (var ns in plan.Namespaces)
        {
            await standby.MarkNamespaceAsync(ns, StandbyMarks.Patch(backup.Name, backup.Started), cancellationToken).ConfigureAwait(false);
        }
        return ResultOf(plan, options, StandbySyncStatus.Synced, summary.Name, count,
            $"Backup '{backup.Name}' applied to {plan.Namespaces.Count} namespace(s) in standby form; {count} workload(s) at 0 replicas.");
    }

    /// <summary>The DR cluster as records name it: context and server, never credentials.</summary>
    private string Cluster => $"{_connection.ContextName} ({_connection.Server})";

    /// <summary>A result for <paramref name="plan"/>: the backup applied, or when up to date the one the standby holds.</summary>
    private StandbySyncResult ResultOf(StandbySyncPlan plan, StandbySyncOptions options, StandbySyncStatus status, string? restore, int workloads, string message)
    {
        var (backup, dataTime) = plan.Applied ?? (plan.Backup.Name, plan.Backup.Started);
        return new StandbySyncResult
        {
            Cluster = Cluster, StorageLocation = options.Restore.StorageLocation, Backup = backup, DataTime = dataTime,
            Rpo = options.Restore.Clock() - dataTime, Status = status, Namespaces = plan.Namespaces, Restore = restore,
            Workloads = workloads, Message = message,
        };
    }
}
