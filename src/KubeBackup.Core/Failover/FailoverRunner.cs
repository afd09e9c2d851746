using System.Globalization;
using KubeBackup.Core.Cluster;
using KubeBackup.Core.Common;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;

namespace KubeBackup.Core.Failover;

/// <summary>
/// Runs a failover to the DR cluster as ordered, timed steps (<see cref="FailoverStepName"/>) and reports each. Checks
/// come first and change nothing, so a DR cluster that does not answer, an unreadable annotation or too much data loss
/// stops the failover before any change. The primary is fenced before the DR side is promoted, so the two never serve
/// at once. The first failing step stops the run; the report says what was changed and how to resume
/// (<see cref="FailoverOptions.ResumeFrom"/>). Ctrl+C stops the running step and still returns the report.
/// </summary>
public sealed class FailoverRunner(FailoverOptions options, IOperationSink? sink = null)
{
    private const int ActivityId = 40;

    private readonly FailoverOptions _options = options ?? throw new ArgumentNullException(nameof(options));
    private readonly IOperationSink _sink = sink ?? NullOperationSink.Instance;
    private readonly string _annotation = StandbyWorkloads.Annotation(options.AnnotationPrefix);

    /// <summary>-WhatIf: runs the read-only checks and returns the plan (the replica counts it would set); changes nothing.</summary>
    public Task<FailoverReport> PlanAsync(CancellationToken cancellationToken) => RunAsync(whatIf: true, cancellationToken);

    public Task<FailoverReport> RunAsync(CancellationToken cancellationToken) => RunAsync(whatIf: false, cancellationToken);

    private async Task<FailoverReport> RunAsync(bool whatIf, CancellationToken cancellationToken)
    {
        var report = new FailoverReport
        {
            DrContext = _options.DrContext,
            PrimaryContext = _options.PrimaryContext,
            Namespaces = _options.Namespaces,
            WhatIf = whatIf,
            Started = _options.Clock(),
            Tier = _options.Tier,
            Steps = Enum.GetValues<FailoverStepName>().Select(n => new FailoverStep { Name = n }).ToList(),
        };
        var run = new Run(report, whatIf, cancellationToken);
        var activity = $"{(whatIf ? "Planning the failover" : "Failing over")} to {_options.DrContext}";
        try
        {
            foreach (var step in report.Steps)
            {
                _sink.Progress(new OperationProgress(ActivityId, activity, step.Name.ToString(), 100 * (int)step.Name / report.Steps.Count));
                if (!await StepAsync(run, step).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        finally
        {
            run.Workloads?.Dispose();
            report.Completed = _options.Clock();
            _sink.Progress(OperationProgress.Done(ActivityId, activity));
        }
        report.Resume = ResumeText(report);
        return report;
    }

    private sealed class Run(FailoverReport report, bool whatIf, CancellationToken cancellationToken)
    {
        public FailoverReport Report { get; } = report;

        public bool WhatIf { get; } = whatIf;

        public CancellationToken Token { get; } = cancellationToken;

        public FailoverWorkloads? Workloads { get; set; }
    }

    /// <summary>A step's failure: its error id and what to tell the user.</summary>
    private sealed class StepFailure(string errorId, string message) : Exception(message)
    {
        public string ErrorId { get; } = errorId;
    }

    /// <summary>Runs one step and records it; false stops the failover.</summary>
    private async Task<bool> StepAsync(Run run, FailoverStep step)
    {
        if (step.Name != FailoverStepName.CheckDrCluster && _options.ResumeFrom is { } from && step.Name < from)
        {
            (step.Status, step.Message) = (FailoverStepStatus.Skipped, $"Done by an earlier run (-ResumeFrom {from}).");
            return true;
        }
        step.Started = _options.Clock();
        _sink.Verbose($"Failover step {step.Name}: starting.");
        try
        {
            var (status, message) = await (step.Name switch
            {
                FailoverStepName.CheckDrCluster => CheckDrClusterAsync(run),
                FailoverStepName.CheckReplication => CheckReplicationAsync(run),
                FailoverStepName.FencePrimary => FencePrimaryAsync(run),
                FailoverStepName.PromoteStorage => UserStepAsync(run, _options.PromoteStorage, "-PromoteStorage"),
                FailoverStepName.ScaleUp => ScaleUpAsync(run),
                FailoverStepName.UpdateTraffic => UserStepAsync(run, _options.UpdateTraffic, "-UpdateTraffic"),
                _ => VerifyAsync(run),
            }).ConfigureAwait(false);
            (step.Status, step.Message) = (status, message);
        }
        catch (Exception) when (run.Token.IsCancellationRequested)
        {
            // Ctrl+C: a cancelled wait, or a user's script block the engine stopped.
            (step.Status, step.ErrorId, step.Message) = (FailoverStepStatus.Stopped, ErrorIds.FailoverStopped, "Stopped by the user (Ctrl+C).");
        }
        catch (Exception e)
        {
            step.Status = FailoverStepStatus.Failed;
            step.ErrorId = e switch { StepFailure f => f.ErrorId, KbException k => k.ErrorId, _ => ErrorIds.FailoverStepFailed };
            step.Message = e is StepFailure or KbException || UserStepParameter(step.Name) is not { } parameter
                ? e.Message
                : $"The {parameter} script block failed: {e.Message}";
        }
        finally
        {
            step.Duration = _options.Clock() - step.Started;
        }
        _sink.Verbose($"Failover step {step.Name}: {step.Status}{(step.Message is null ? "" : $". {step.Message}")}");
        // A plan goes on past a failed replication check, to show the rest; nothing goes on past the DR check.
        return step.Status switch
        {
            FailoverStepStatus.Stopped => false,
            FailoverStepStatus.Failed => run.WhatIf && step.Name != FailoverStepName.CheckDrCluster,
            _ => true,
        };
    }

    /// <summary>The parameter of the user's script block that runs as this step, if any.</summary>
    private string? UserStepParameter(FailoverStepName name) => name switch
    {
        FailoverStepName.CheckReplication when _options.ReplicationCheck is not null => "-ReplicationCheck",
        FailoverStepName.PromoteStorage => "-PromoteStorage",
        FailoverStepName.UpdateTraffic => "-UpdateTraffic",
        _ => null,
    };

    private async Task<(FailoverStepStatus, string?)> CheckDrClusterAsync(Run run)
    {
        var connection = _options.OpenDr();
        var status = await ClusterProbe.ProbeAsync(connection, _options.ProbeTimeout, _sink, run.Token).ConfigureAwait(false);
        run.Workloads = new FailoverWorkloads(connection);
        var plans = new List<WorkloadScale>();
        foreach (var ns in _options.Namespaces)
        {
            plans.AddRange(await run.Workloads.PlanAsync(ns, _annotation, _options.DefaultReplicas, $"cluster '{_options.DrContext}'", run.Token).ConfigureAwait(false));
        }
        run.Report.Workloads = plans;
        var invalid = plans.Where(p => p.Action == ScaleAction.Failed).ToList();
        if (invalid.Count > 0)
        {
            throw new StepFailure(ErrorIds.StandbyAnnotationInvalid,
                $"{invalid.Count} workload(s) carry an annotation {_annotation} that is not a count: {string.Join("; ", invalid.Select(i => i.Message))} Nothing was changed.");
        }
        foreach (var skipped in plans.Where(p => p.Action == ScaleAction.Skipped))
        {
            _sink.Warning(skipped.Message!);
        }
        return (FailoverStepStatus.Succeeded,
            $"{status.Message} {Count(plans, ScaleAction.ScaleUp)} workload(s) to scale up, {Count(plans, ScaleAction.Running)} running, {Count(plans, ScaleAction.Skipped)} left at 0.");
    }

    private static int Count(IEnumerable<WorkloadScale> plans, ScaleAction action) => plans.Count(p => p.Action == action);

    private async Task<(FailoverStepStatus, string?)> CheckReplicationAsync(Run run)
    {
        TimeSpan? age;
        string source;
        if (_options.ReplicationCheck is { } check)
        {
            if (run.WhatIf)
            {
                return (FailoverStepStatus.Planned, "Would run the -ReplicationCheck script block.");
            }
            age = await check(run.Token).ConfigureAwait(false);
            source = "-ReplicationCheck";
        }
        else
        {
            (age, source) = await StandbyAgeAsync(run).ConfigureAwait(false);
        }
        run.Report.Rpo = age;
        var within = _options.MaxDataLoss is { } max ? $" (-MaxDataLoss {HumanDuration.Format(max)})" : "";
        if (_options.MaxDataLoss is { } limit)
        {
            if (age is null)
            {
                throw new StepFailure(ErrorIds.DataLossExceeded, $"The standby's data age is unknown ({source}), so -MaxDataLoss {HumanDuration.Format(limit)} cannot be checked. Nothing was changed.");
            }
            if (age > limit)
            {
                throw new StepFailure(ErrorIds.DataLossExceeded,
                    $"The standby's data is {HumanDuration.Format(age.Value)} old ({source}), more than -MaxDataLoss {HumanDuration.Format(limit)}. Nothing was changed. Sync the standby (Sync-KbStandby) or accept the loss with a larger -MaxDataLoss.");
            }
        }
        return (FailoverStepStatus.Succeeded, age is null ? $"Data age unknown ({source}); no -MaxDataLoss asked for a limit." : $"The standby's data is {HumanDuration.Format(age.Value)} old ({source}){within}.");
    }

    /// <summary>The built-in check: the oldest sync mark of the DR namespaces (Sync-KbStandby's), or why it is unknown.</summary>
    private async Task<(TimeSpan? Age, string Source)> StandbyAgeAsync(Run run)
    {
        DateTimeOffset? oldest = null;
        var backups = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var ns in _options.Namespaces)
        {
            var marked = await run.Workloads!.GetNamespaceAsync(ns, run.Token).ConfigureAwait(false);
            if (StandbyMarks.DataTime(marked) is not { } time)
            {
                return (null, $"namespace '{ns}' has no {StandbyMarks.DataTimeAnnotation} annotation: Sync-KbStandby never completed there");
            }
            oldest = oldest is null || time < oldest ? time : oldest;
            if (StandbyMarks.Backup(marked) is { } backup)
            {
                backups.Add(backup);
            }
        }
        if (oldest is null)
        {
            return (null, "no namespace was given");
        }
        run.Report.StandbyBackup = string.Join(", ", backups);
        return (run.Report.Started - oldest, $"synced from backup {run.Report.StandbyBackup}, taken {oldest!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z");
    }

    private async Task<(FailoverStepStatus, string?)> FencePrimaryAsync(Run run)
    {
        if (!_options.FencePrimary || _options.OpenPrimary is not { } open)
        {
            return (FailoverStepStatus.Skipped, "Not asked for (-FencePrimary).");
        }
        var connection = open();
        try
        {
            await ClusterProbe.ProbeAsync(connection, _options.ProbeTimeout, _sink, run.Token).ConfigureAwait(false);
        }
        catch (KbException e)
        {
            var later = $"Set-KbStandby -Context {_options.PrimaryContext} -Namespace {string.Join(",", _options.Namespaces)}";
            _sink.Warning($"The primary {(run.WhatIf ? "would not be" : "was not")} fenced: {e.Message} Before it serves again, put it on standby: {later}");
            return (FailoverStepStatus.Skipped, $"The primary did not answer, so it was not fenced; when it is back, run {later}.");
        }
        using var standby = new StandbyWorkloads(connection);
        var fenced = 0;
        foreach (var ns in _options.Namespaces)
        {
            IReadOnlyList<StandbyResult> plans;
            try
            {
                plans = await standby.PlanAsync(ns, _options.AnnotationPrefix, run.Token).ConfigureAwait(false);
            }
            catch (KbException e) when (e.ErrorId == ErrorIds.NamespaceNotFound)
            {
                continue;
            }
            foreach (var plan in plans.Where(p => p.PreviousReplicas > 0 || p.Action == StandbyAction.Failed))
            {
                var result = run.WhatIf ? plan : await standby.ApplyAsync(plan, run.Token).ConfigureAwait(false);
                if (result.Action == StandbyAction.Failed)
                {
                    throw new StepFailure(result.ErrorId ?? ErrorIds.StandbyScaleFailed, $"The primary could not be fenced, so both sides could serve: {result.Message}");
                }
                if (!run.WhatIf)
                {
                    run.Report.Changes.Add($"Primary '{_options.PrimaryContext}': {result} scaled from {result.PreviousReplicas} to 0 ({result.Annotation}={result.RecordedReplicas}).");
                }
                fenced++;
            }
            if (!run.WhatIf && await standby.PromotedAsync(ns, run.Token).ConfigureAwait(false) is not null)
            {
                await standby.ClearPromotedAsync(ns, run.Token).ConfigureAwait(false);
                run.Report.Changes.Add($"Primary '{_options.PrimaryContext}': namespace {ns} is a standby again ({StandbyMarks.PromotedAnnotation} removed).");
            }
        }
        return run.WhatIf
            ? (FailoverStepStatus.Planned, $"Would scale {fenced} workload(s) of the primary '{_options.PrimaryContext}' to 0, recording their counts.")
            : (FailoverStepStatus.Succeeded, $"Scaled {fenced} workload(s) of the primary '{_options.PrimaryContext}' to 0.");
    }

    private async Task<(FailoverStepStatus, string?)> UserStepAsync(Run run, Func<CancellationToken, Task>? userStep, string parameter)
    {
        if (userStep is null)
        {
            return (FailoverStepStatus.Skipped, $"No {parameter} script block given.");
        }
        if (run.WhatIf)
        {
            return (FailoverStepStatus.Planned, $"Would run the {parameter} script block.");
        }
        await userStep(run.Token).ConfigureAwait(false);
        run.Report.Changes.Add($"Ran the {parameter} script block.");
        return (FailoverStepStatus.Succeeded, $"The {parameter} script block completed.");
    }

    private async Task<(FailoverStepStatus, string?)> ScaleUpAsync(Run run)
    {
        var workloads = run.Report.Workloads.ToArray();
        var targets = Enumerable.Range(0, workloads.Length).Where(i => workloads[i].Action == ScaleAction.ScaleUp).ToList();
        var list = string.Join(", ", targets.Select(i => $"{workloads[i]} {workloads[i].CurrentReplicas} -> {workloads[i].TargetReplicas}"));
        if (run.WhatIf)
        {
            return targets.Count == 0 ? (FailoverStepStatus.Skipped, "No workload is on standby.") : (FailoverStepStatus.Planned, $"Would scale {targets.Count} workload(s): {list}.");
        }
        // Promoted first: a sync running meanwhile must not put the namespaces back to sleep.
        foreach (var ns in _options.Namespaces)
        {
            await run.Workloads!.MarkNamespaceAsync(ns, StandbyMarks.PromotedPatch(_options.Clock()), run.Token).ConfigureAwait(false);
        }
        if (_options.Namespaces.Count > 0)
        {
            run.Report.Changes.Add($"DR '{_options.DrContext}': namespace(s) {string.Join(", ", _options.Namespaces)} marked {StandbyMarks.PromotedAnnotation}; Sync-KbStandby leaves them alone until Set-KbStandby.");
        }
        if (targets.Count == 0)
        {
            return (FailoverStepStatus.Skipped, "No workload is on standby.");
        }
        // Ctrl+C or an unexpected error can stop the scale part-way: the workloads scaled by then are changes all the same.
        var done = new bool[workloads.Length];
        try
        {
            await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentScales, CancellationToken = run.Token }, async (i, token) =>
            {
                workloads[i] = await run.Workloads!.ScaleAsync(workloads[i], _annotation, token).ConfigureAwait(false);
                Volatile.Write(ref done[i], true);
            }).ConfigureAwait(false);
        }
        finally
        {
            run.Report.Workloads = workloads;
            foreach (var i in targets.Where(i => Volatile.Read(ref done[i]) && workloads[i].Action == ScaleAction.ScaleUp))
            {
                run.Report.Changes.Add($"DR '{_options.DrContext}': {workloads[i]} scaled from {workloads[i].CurrentReplicas} to {workloads[i].TargetReplicas}.");
            }
        }
        var failed = targets.Where(i => workloads[i].Action == ScaleAction.Failed).Select(i => workloads[i].Message).ToList();
        if (failed.Count > 0)
        {
            throw new StepFailure(ErrorIds.FailoverScaleFailed, $"{failed.Count} of {targets.Count} workload(s) could not be scaled: {string.Join("; ", failed)}");
        }
        return (FailoverStepStatus.Succeeded, $"Scaled {targets.Count} workload(s): {list}.");
    }

    private async Task<(FailoverStepStatus, string?)> VerifyAsync(Run run)
    {
        var workloads = run.Report.Workloads.ToArray();
        var watched = Enumerable.Range(0, workloads.Length).Where(i => workloads[i].Action is ScaleAction.ScaleUp or ScaleAction.Running).ToList();
        if (run.WhatIf)
        {
            return (FailoverStepStatus.Planned, $"Would wait up to {HumanDuration.Format(_options.Timeout)} for {watched.Count} workload(s) to become ready.");
        }
        var deadline = _options.Clock() + _options.Timeout;
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            foreach (var i in watched)
            {
                workloads[i] = await run.Workloads!.ReadinessAsync(workloads[i], run.Token).ConfigureAwait(false);
            }
            run.Report.Workloads = workloads;
            var waiting = watched.Where(i => workloads[i].Ready != true).ToList();
            if (waiting.Count == 0)
            {
                run.Report.Rto = _options.Clock() - run.Report.Started;
                return (FailoverStepStatus.Succeeded, $"{watched.Count} workload(s) ready; recovery took {HumanDuration.Format(run.Report.Rto.Value)}.");
            }
            if (_options.Clock() >= deadline)
            {
                throw new StepFailure(ErrorIds.WorkloadsNotReady,
                    $"{waiting.Count} of {watched.Count} workload(s) not ready after {HumanDuration.Format(_options.Timeout)}: {string.Join(", ", waiting.Select(i => $"{workloads[i]} ({workloads[i].Readiness})"))}.");
            }
            _sink.Progress(new OperationProgress(ActivityId + 1, "Waiting for workloads", $"{watched.Count - waiting.Count} of {watched.Count} ready", 100 * (watched.Count - waiting.Count) / watched.Count, ParentActivityId: ActivityId));
            var left = deadline - _options.Clock();
            await Task.Delay(left < delay ? left : delay, run.Token).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    private string? ResumeText(FailoverReport report)
    {
        if (report.WhatIf || report.FailedStep is not { } failed)
        {
            return null;
        }
        var why = failed.Status == FailoverStepStatus.Stopped ? $"Stopped by the user during {failed.Name}." : $"Failed at {failed.Name}.";
        if (report.Changes.Count == 0 && failed.Name is FailoverStepName.CheckDrCluster or FailoverStepName.CheckReplication)
        {
            return $"{why} Nothing was changed. Correct the cause and run the same command again.";
        }
        var changed = report.Changes.Count == 0 ? "Nothing was changed by KubeBackup" : $"{report.Changes.Count} change(s) were made (see Changes)";
        return $"{why} {changed}. Correct the cause, then resume with the same parameters and -ResumeFrom {failed.Name} (the steps before it are not repeated).";
    }
}
