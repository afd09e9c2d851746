using System.Text.Json.Nodes;
using k8s;
using KubeBackup.Core.Cluster.Api;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Restore;
using KubeBackup.Core.Restore.Transforms;
using KubeBackup.Core.Snapshots;

namespace KubeBackup.Core.Backup;

/// <summary>
/// A backup's CSI snapshots (-SnapshotVolumes): every claim the backup takes is snapshotted once the pods' pre hooks
/// have run (so frozen applications are consistent), awaited until ready, and its content set to Retain so the data
/// outlives a deleted namespace. Each failure is an error naming the claim: the backup is PartiallyFailed, not lost.
/// </summary>
internal sealed class VolumeSnapshotStep(IKubernetes client, string backupName, BackupSpec spec, BackupJournal journal, Func<DateTimeOffset> clock)
{
    private readonly List<BackupVolumeSnapshot> _taken = [];

    /// <summary>The snapshots recorded, in claim order; empty until <see cref="RunAsync"/> has run.</summary>
    public IReadOnlyList<BackupVolumeSnapshot> Taken => _taken;

    public async Task RunAsync(BackupScope scope, CancellationToken cancellationToken)
    {
        if (!scope.NamespacedTypes.Any(t => t.FullName == "persistentvolumeclaims"))
        {
            journal.Info("No volumes snapshotted: persistentvolumeclaims are not part of this backup.");
            return;
        }
        using var snapshots = new VolumeSnapshotClient(client);
        var claims = (await snapshots.ListClaimsAsync(scope.Namespaces, null, cancellationToken).ConfigureAwait(false))
            .Where(c => scope.InScope(c.Namespace) && scope.MatchesSelectors(c.Labels))
            .OrderBy(c => c.Namespace, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        if (claims.Count == 0)
        {
            journal.Info("No volumes snapshotted: the backup takes no PersistentVolumeClaims.");
            return;
        }
        try
        {
            await snapshots.EnsureSnapshotApiAsync("the cluster", cancellationToken).ConfigureAwait(false);
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.SnapshotApiMissing)
        {
            foreach (var claim in claims)
            {
                journal.Error(Target(claim.Namespace, claim.Name), $"Volume not snapshotted: {e.Message}");
            }
            return;
        }

        var taker = new SnapshotTaker(snapshots, journal);
        var request = new SnapshotRequest
        {
            NameFormat = "{pvc}-" + backupName,
            FitLongNames = true,
            BackupType = null,
            Labels = new Dictionary<string, string> { [RestoreLabels.BackupName] = RestoreLabels.Value(backupName) },
            Timeout = spec.SnapshotTimeout,
            Clock = clock,
        };
        var results = await taker.TakeAsync(await taker.PlanAsync(claims, request, cancellationToken).ConfigureAwait(false), request, wait: true, cancellationToken).ConfigureAwait(false);
        foreach (var result in results)
        {
            _taken.Add(await RecordAsync(snapshots, result, cancellationToken).ConfigureAwait(false));
        }
        var ready = _taken.Count(s => s.Ready);
        journal.Info($"Snapshotted {ready} of {claims.Count} volume{(claims.Count == 1 ? "" : "s")}.");
    }

    /// <summary>Reads a ready snapshot's content (driver, handle) and retains it; reports a failed one.</summary>
    private async Task<BackupVolumeSnapshot> RecordAsync(VolumeSnapshotClient snapshots, VolumeSnapshotResult result, CancellationToken cancellationToken)
    {
        var target = Target(result.Namespace, result.PersistentVolumeClaim);
        var record = new BackupVolumeSnapshot
        {
            Namespace = result.Namespace,
            PersistentVolumeClaim = result.PersistentVolumeClaim,
            Snapshot = result.Snapshot ?? "",
            SnapshotClass = result.SnapshotClass,
            RestoreSize = result.RestoreSize,
            Content = result.ContentName,
            Error = result.Message,
        };
        if (result.Status != SnapshotOutcome.Ready)
        {
            var what = result.Status == SnapshotOutcome.Skipped ? "a snapshot of its name exists already, so it is not this backup's" : result.Message;
            journal.Error(target, $"Volume not snapshotted: {what}");
            return record with { Error = what };
        }
        try
        {
            var content = result.ContentName is null ? null : await snapshots.GetContentAsync(result.ContentName, cancellationToken).ConfigureAwait(false);
            if (content is null)
            {
                journal.Error(target, $"Volume snapshot {result.Namespace}/{result.Snapshot} is ready but its VolumeSnapshotContent {result.ContentName} cannot be found; a restore could not use it.");
                return record with { Error = "its VolumeSnapshotContent is missing" };
            }
            await snapshots.PatchContentAsync(result.ContentName!, new JsonObject
            {
                ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [SnapshotLabels.RetainedByAnnotation] = backupName } },
                ["spec"] = new JsonObject { ["deletionPolicy"] = "Retain" },
            }, cancellationToken).ConfigureAwait(false);
            journal.Info($"Snapshot {result.Snapshot} of claim {result.PersistentVolumeClaim} is ready ({result.RestoreSize}); its content {result.ContentName} is retained.", target);
            return record with
            {
                Ready = true,
                Error = null,
                Driver = Json.String(content["spec"]?["driver"]),
                SnapshotHandle = Json.String(content["status"]?["snapshotHandle"]),
            };
        }
        catch (Exception e) when (e is ApiResponseError or HttpRequestException || RetryingApi.IsTransient(e, cancellationToken))
        {
            var message = $"the snapshot is ready but its content could not be retained: {RetryingApi.Describe(e)}";
            journal.Error(target, $"Volume snapshot {result.Namespace}/{result.Snapshot}: {message}.");
            return record with { Error = message };
        }
    }

    private static string Target(string ns, string claim) => $"persistentvolumeclaims {ns}/{claim}";
}
