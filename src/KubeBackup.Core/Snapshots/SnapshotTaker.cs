using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using KubeBackup.Core.Cluster.Api;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;

namespace KubeBackup.Core.Snapshots;

/// <summary>
/// Snapshots claims: plans each one (name, class, or why not), creates the snapshots concurrently and, when asked,
/// waits for them to be ready to use. One claim's failure is its own result; the others go on.
/// </summary>
public sealed class SnapshotTaker(VolumeSnapshotClient client, IOperationSink? sink = null)
{
    private const int ProgressId = 41;
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(2);
    private readonly IOperationSink _sink = sink ?? NullOperationSink.Instance;

    /// <summary>What would be created for each claim. Names are formatted with the request's clock, once for all claims.</summary>
    /// <exception cref="KbException"><see cref="ErrorIds.SnapshotNameInvalid"/> for a malformed name format.</exception>
    public async Task<IReadOnlyList<SnapshotPlan>> PlanAsync(IReadOnlyList<ClaimInfo> claims, SnapshotRequest request, CancellationToken cancellationToken)
    {
        SnapshotNames.ValidateFormat(request.NameFormat);
        var now = request.Clock();
        var plans = new List<SnapshotPlan>();
        foreach (var claim in claims)
        {
            string name;
            try
            {
                name = SnapshotNames.Format(request.NameFormat, claim.Namespace, claim.Name, request.BackupType ?? "", now, request.FitLongNames);
            }
            catch (KbException e)
            {
                plans.Add(new SnapshotPlan { Claim = claim, Problem = e.Message, ProblemId = e.ErrorId });
                continue;
            }
            if (claim.Phase != "Bound" || claim.VolumeName is null)
            {
                plans.Add(new SnapshotPlan
                {
                    Claim = claim, Name = name, ProblemId = ErrorIds.ClaimNotSnapshottable,
                    Problem = $"Claim {claim} is {claim.Phase ?? "not bound"}: a snapshot needs a volume bound to the claim.",
                });
                continue;
            }
            var (cls, problem) = await client.ResolveClassAsync(claim, request.SnapshotClass, cancellationToken).ConfigureAwait(false);
            var labels = new Dictionary<string, string>(request.Labels, StringComparer.Ordinal) { [SnapshotLabels.SourcePvc] = claim.Name };
            if (request.BackupType is not null)
            {
                labels[SnapshotLabels.BackupType] = request.BackupType;
            }
            plans.Add(new SnapshotPlan
            {
                Claim = claim,
                Name = name,
                SnapshotClass = cls,
                Problem = problem is null ? null : $"Claim {claim} cannot be snapshotted: {problem}.",
                ProblemId = problem is null ? null : ErrorIds.SnapshotClassNotFound,
                Labels = labels,
                Annotations = request.Annotations,
            });
        }
        return RefuseSharedNames(plans);
    }

    /// <summary>
    /// A format that gives two claims of a namespace the same name (one without {pvc}) would create one snapshot and
    /// report the other as Skipped, as if it existed already; each of those claims is refused instead.
    /// </summary>
    private static List<SnapshotPlan> RefuseSharedNames(List<SnapshotPlan> plans)
    {
        var shared = plans.Where(p => p.Problem is null && p.Name is not null)
            .GroupBy(p => (p.Claim.Namespace, p.Name))
            .Where(g => g.Count() > 1)
            .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(p => p.Claim.Name)));
        return [.. plans.Select(p => p.Problem is null && p.Name is not null && shared.TryGetValue((p.Claim.Namespace, p.Name), out var claims)
            ? p with
            {
                ProblemId = ErrorIds.SnapshotNameInvalid,
                Problem = $"The snapshot name '{p.Name}' is the same for claims {claims} of namespace {p.Claim.Namespace}; include {{pvc}} in the name format.",
            }
            : p)];
    }

    /// <summary>Creates the planned snapshots and, with <paramref name="wait"/>, waits until each is ready, failed or timed out.</summary>
    public async Task<IReadOnlyList<VolumeSnapshotResult>> TakeAsync(IReadOnlyList<SnapshotPlan> plans, SnapshotRequest request, bool wait, CancellationToken cancellationToken)
    {
        var results = new VolumeSnapshotResult?[plans.Count];
        var created = new ConcurrentBag<int>();
        var options = new ParallelOptions { MaxDegreeOfParallelism = request.MaxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, plans.Count), options, async (i, token) =>
        {
            var plan = plans[i];
            if (plan.Problem is not null)
            {
                results[i] = Result(plan, SnapshotOutcome.Failed, plan.Problem, plan.ProblemId);
                return;
            }
            try
            {
                await client.CreateSnapshotAsync(plan, token).ConfigureAwait(false);
                _sink.Verbose($"Created VolumeSnapshot {plan.Claim.Namespace}/{plan.Name} of claim {plan.Claim.Name} (class {plan.SnapshotClass}).");
                created.Add(i);
            }
            catch (ApiResponseError e) when (e.Reason == "AlreadyExists" || e.StatusCode == HttpStatusCode.Conflict)
            {
                results[i] = Result(plan, SnapshotOutcome.Skipped, $"A VolumeSnapshot named {plan.Name} exists already in {plan.Claim.Namespace}; it was left as it is.", null);
            }
            catch (Exception e) when (e is ApiResponseError or HttpRequestException || RetryingApi.IsTransient(e, token))
            {
                results[i] = Result(plan, SnapshotOutcome.Failed, $"Creating VolumeSnapshot {plan.Claim.Namespace}/{plan.Name} failed: {RetryingApi.Describe(e)}.", ErrorIds.SnapshotFailed);
            }
        }).ConfigureAwait(false);

        var createdIndexes = created.Order().ToList();
        if (!wait)
        {
            foreach (var i in createdIndexes)
            {
                results[i] = Result(plans[i], SnapshotOutcome.Created, null, null);
            }
            return results!;
        }
        var states = await WaitAsync([.. createdIndexes.Select(i => (plans[i].Claim.Namespace, plans[i].Name!))], s => s.ReadyToUse, request, cancellationToken).ConfigureAwait(false);
        foreach (var i in createdIndexes)
        {
            var plan = plans[i];
            var state = states[(plan.Claim.Namespace, plan.Name!)];
            results[i] = state switch
            {
                { ReadyToUse: true } => Result(plan, SnapshotOutcome.Ready, null, null, state),
                { Error: { } error } => Result(plan, SnapshotOutcome.Failed, $"Snapshot {plan.Claim.Namespace}/{plan.Name} of claim {plan.Claim.Name} failed: {error}", ErrorIds.SnapshotFailed, state),
                null => Result(plan, SnapshotOutcome.Failed, $"Snapshot {plan.Claim.Namespace}/{plan.Name} disappeared while it was awaited.", ErrorIds.SnapshotNotFound),
                _ => Result(plan, SnapshotOutcome.TimedOut, TimedOut(plan.Claim.Namespace, plan.Name!, plan.Claim.Name, state, request.Timeout), ErrorIds.SnapshotTimedOut, state),
            };
        }
        return results!;
    }

    /// <summary>The message of a snapshot not ready in time, with what the controller got to.</summary>
    public static string TimedOut(string ns, string name, string claim, VolumeSnapshotInfo state, TimeSpan timeout) =>
        $"Snapshot {ns}/{name} of claim {claim} was not ready to use after {Human(timeout)} " +
        (state.ContentName is null ? "(the snapshot controller has not bound a VolumeSnapshotContent to it)." : $"(bound to {state.ContentName}, readyToUse still false).");

    /// <summary>
    /// Polls snapshots until each satisfies <paramref name="until"/>, reports an error, disappears, or the request's
    /// timeout passes. The last state seen of each (null when it is gone).
    /// </summary>
    public async Task<IReadOnlyDictionary<(string Namespace, string Name), VolumeSnapshotInfo?>> WaitAsync(
        IReadOnlyList<(string Namespace, string Name)> snapshots, Func<VolumeSnapshotInfo, bool> until, SnapshotRequest request, CancellationToken cancellationToken)
    {
        var states = new ConcurrentDictionary<(string, string), VolumeSnapshotInfo?>();
        var pending = snapshots.Distinct().ToList();
        var clock = Stopwatch.StartNew();
        var poll = FirstPoll;
        var options = new ParallelOptions { MaxDegreeOfParallelism = request.MaxConcurrency, CancellationToken = cancellationToken };
        while (pending.Count > 0)
        {
            await Parallel.ForEachAsync(pending, options, async (s, token) =>
                states[s] = await client.GetSnapshotAsync(s.Namespace, s.Name, token).ConfigureAwait(false)).ConfigureAwait(false);
            pending = [.. pending.Where(s => states[s] is { } state && !until(state) && state.Error is null)];
            var percent = snapshots.Count == 0 ? 100 : 100 * (snapshots.Count - pending.Count) / snapshots.Count;
            _sink.Progress(new OperationProgress(ProgressId, "Waiting for volume snapshots", $"{snapshots.Count - pending.Count} of {snapshots.Count} done", percent,
                pending.Count > 0 ? $"{pending[0].Namespace}/{pending[0].Name}" : null));
            if (pending.Count == 0 || clock.Elapsed >= request.Timeout)
            {
                break;
            }
            var left = request.Timeout - clock.Elapsed;
            await Task.Delay(poll < left ? poll : left, cancellationToken).ConfigureAwait(false);
            poll = TimeSpan.FromTicks(Math.Min(MaxPoll.Ticks, poll.Ticks * 2));
        }
        _sink.Progress(OperationProgress.Done(ProgressId, "Waiting for volume snapshots"));
        return states;
    }

    private static VolumeSnapshotResult Result(SnapshotPlan plan, SnapshotOutcome outcome, string? message, string? errorId, VolumeSnapshotInfo? state = null) => new()
    {
        Namespace = plan.Claim.Namespace,
        PersistentVolumeClaim = plan.Claim.Name,
        Snapshot = plan.Name,
        SnapshotClass = state?.SnapshotClass ?? plan.SnapshotClass,
        Status = outcome,
        Message = message,
        ErrorId = errorId,
        RestoreSize = state?.RestoreSize,
        ContentName = state?.ContentName,
    };

    private static string Human(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{t.TotalHours:0.#} h" : t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0.#} min" : $"{t.TotalSeconds:0.#} s";
}
