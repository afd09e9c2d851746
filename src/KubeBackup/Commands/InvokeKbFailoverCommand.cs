using System.Collections.ObjectModel;
using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Failover;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Fails over to the DR cluster (issue 9; the seed's dr-failover.sh as a safe, observable, repeatable operation): checks
/// that the DR cluster answers and the standby's data is recent enough, fences the primary (-FencePrimary), runs the
/// -PromoteStorage script block, scales every Deployment and StatefulSet back to its <c>original-replicas</c> count
/// concurrently, runs -UpdateTraffic, and waits until the workloads are ready. Each step is timed; the output is a
/// failover report with the measured RTO and RPO, compared with a tier of the seed's table 7.2 (-Tier). The first
/// failing step stops the failover; the report and the error say what was changed and how to resume (-ResumeFrom).
/// -WhatIf runs the read-only checks and prints the whole plan with the replica counts. The report of the last run is
/// also left in <c>$KbLastFailover</c>, which is how a failover stopped with Ctrl+C reports what it did.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "KbFailover", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(FailoverReport))]
public sealed class InvokeKbFailoverCommand : AsyncCmdlet
{
    /// <summary>The variable (global scope) that holds the report of the last failover, stopped ones included.</summary>
    public const string LastReportVariable = "KbLastFailover";

    private FailoverReport? _report;

    /// <summary>The kubeconfig context of the DR cluster to fail over to.</summary>
    [Parameter(Mandatory = true)]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string DrContext { get; set; } = string.Empty;

    /// <summary>The kubeconfig context of the primary: named in the report, fenced with -FencePrimary.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? PrimaryContext { get; set; }

    /// <summary>A kubeconfig path (or several, or its text) holding both contexts; default as kubectl.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <summary>The namespaces whose workloads fail over.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Namespace { get; set; } = [];

    /// <summary>Put before <c>original-replicas</c>, as for Set-KbStandby.</summary>
    [Parameter]
    [AllowEmptyString]
    [ValidateNotNull]
    public string AnnotationPrefix { get; set; } = string.Empty;

    /// <summary>Replicas for workloads at 0 without the annotation; without it they stay at 0, with a warning.</summary>
    [Parameter]
    [ValidateRange(1, 10000)]
    public int? DefaultReplicas { get; set; }

    /// <summary>The most data loss accepted: the replication check fails when the standby's data is older, or of unknown age.</summary>
    [Parameter]
    [DurationTransformation]
    [ValidatePositiveDuration]
    public TimeSpan? MaxDataLoss { get; set; }

    /// <summary>
    /// Your replication check instead of the built-in one (Sync-KbStandby's marks): throw, or return $false, to stop the
    /// failover; return a TimeSpan to report it as the data age (checked against -MaxDataLoss).
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public ScriptBlock? ReplicationCheck { get; set; }

    /// <summary>Makes the replicated storage writable (storage-specific); throw to stop the failover.</summary>
    [Parameter]
    [ValidateNotNull]
    public ScriptBlock? PromoteStorage { get; set; }

    /// <summary>Moves the traffic (DNS, load balancer) to the DR cluster; throw to stop the failover.</summary>
    [Parameter]
    [ValidateNotNull]
    public ScriptBlock? UpdateTraffic { get; set; }

    /// <summary>Scale the primary's workloads to 0 (recording their counts) when it answers, so both sides never serve at once.</summary>
    [Parameter]
    public SwitchParameter FencePrimary { get; set; }

    /// <summary>How long to wait for the scaled workloads to become ready; default 10 minutes.</summary>
    [Parameter]
    [DurationTransformation]
    [ValidatePositiveDuration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Resume a failover that stopped: skip the steps before this one (the DR check always runs).</summary>
    [Parameter]
    [ValidateSet(nameof(FailoverStepName.CheckReplication), nameof(FailoverStepName.FencePrimary), nameof(FailoverStepName.PromoteStorage),
        nameof(FailoverStepName.ScaleUp), nameof(FailoverStepName.UpdateTraffic), nameof(FailoverStepName.Verify))]
    public string? ResumeFrom { get; set; }

    /// <summary>Compare the measured RTO and RPO with this tier of the seed's table 7.2.</summary>
    [Parameter]
    [ValidateSet("Tier-1", "Tier-2", "Tier-3", "Tier-4")]
    public string? Tier { get; set; }

    /// <summary>Fail over without asking for confirmation (-WhatIf still only shows the plan).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
    {
        if (FencePrimary && PrimaryContext is null)
        {
            throw new KbException(ErrorIds.PrimaryContextRequired, KbErrorCategory.InvalidArgument, nameof(FencePrimary),
                "-FencePrimary needs -PrimaryContext: the primary to scale to 0.");
        }
        var namespaces = Namespace.Distinct(StringComparer.Ordinal).ToList();
        var context = new FailoverStepContext(DrContext, PrimaryContext, Kubeconfig, namespaces);
        var options = new FailoverOptions
        {
            OpenDr = () => ClusterCmdlet.OpenConnection(Kubeconfig, DrContext, CurrentDirectory),
            OpenPrimary = PrimaryContext is null ? null : () => ClusterCmdlet.OpenConnection(Kubeconfig, PrimaryContext, CurrentDirectory),
            DrContext = DrContext,
            PrimaryContext = PrimaryContext,
            Namespaces = namespaces,
            AnnotationPrefix = AnnotationPrefix,
            DefaultReplicas = DefaultReplicas,
            MaxDataLoss = MaxDataLoss,
            ReplicationCheck = ReplicationCheck is null ? null : async _ => DataAge(await InvokeAsync(ReplicationCheck, context).ConfigureAwait(false)),
            PromoteStorage = PromoteStorage is null ? null : _ => InvokeAsync(PromoteStorage, context),
            UpdateTraffic = UpdateTraffic is null ? null : _ => InvokeAsync(UpdateTraffic, context),
            FencePrimary = FencePrimary,
            ResumeFrom = ResumeFrom is null ? null : Enum.Parse<FailoverStepName>(ResumeFrom),
            Timeout = Timeout,
            Tier = Tier is null ? null : DrTier.Find(Tier),
        };
        var runner = new FailoverRunner(options, Sink);
        var (proceed, whatIf) = await ShouldProceedOrPreviewAsync($"cluster '{DrContext}' namespaces {string.Join(", ", namespaces)}", "Fail over", Force).ConfigureAwait(false);
        if (!proceed)
        {
            if (whatIf)
            {
                var plan = await runner.PlanAsync(cancellationToken).ConfigureAwait(false);
                await OnPipelineThreadAsync(() => ShowPlan(plan)).ConfigureAwait(false);
                Emit(plan);
                EmitFailure(plan);
            }
            return;
        }
        _report = await runner.RunAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        await OnPipelineThreadAsync(() => Remember(_report)).ConfigureAwait(false);
        Emit(_report);
        EmitFailure(_report);
    }

    /// <summary>The failed step of a run (or a plan's failed check) as a non-terminating error, the report its target.</summary>
    private void EmitFailure(FailoverReport report)
    {
        if (report.Steps.FirstOrDefault(s => s.Status is FailoverStepStatus.Failed) is not { } failed)
        {
            return;
        }
        var category = failed.ErrorId switch
        {
            ErrorIds.WorkloadsNotReady => KbErrorCategory.OperationTimeout,
            ErrorIds.DataLossExceeded or ErrorIds.StandbyAnnotationInvalid => KbErrorCategory.InvalidData,
            ErrorIds.ClusterUnreachable => KbErrorCategory.ConnectionError,
            ErrorIds.ClusterUnauthorized => KbErrorCategory.AuthenticationError,
            ErrorIds.NamespaceNotFound or ErrorIds.ContextNotFound or ErrorIds.KubeconfigNotFound => KbErrorCategory.ObjectNotFound,
            ErrorIds.FailoverStopped => KbErrorCategory.OperationStopped,
            _ => KbErrorCategory.InvalidResult,
        };
        var what = report.WhatIf ? $"The failover would stop at {failed.Name}: {failed.Message}" : $"Failover step {failed.Name} failed: {failed.Message} {report.Resume}";
        EmitError(new KbException(failed.ErrorId ?? ErrorIds.FailoverStepFailed, category, report, what));
    }

    /// <summary>Ctrl+C: the pipeline takes no output any more, so the report goes to $KbLastFailover and the host.</summary>
    protected override void OnStopped()
    {
        if (_report is null)
        {
            return;
        }
        Remember(_report);
        try
        {
            Host?.UI?.WriteWarningLine($"{_report.Resume} Done before the stop: {(_report.Changes.Count == 0 ? "no changes" : string.Join(" ", _report.Changes))} The report is in ${LastReportVariable}.");
        }
        catch (Exception e) when (e is PipelineStoppedException or NotImplementedException or System.Management.Automation.Host.HostException)
        {
            // A host without a UI: the variable holds the report.
        }
    }

    private bool Remember(FailoverReport report)
    {
        SessionState.PSVariable.Set("global:" + LastReportVariable, report);
        return true;
    }

    /// <summary>-WhatIf: a "What if:" line per step that changes something, and per workload with its counts.</summary>
    private bool ShowPlan(FailoverReport plan)
    {
        foreach (var step in plan.Steps.Where(s => s.Status == FailoverStepStatus.Planned))
        {
            if (step.Name == FailoverStepName.ScaleUp)
            {
                foreach (var w in plan.Workloads.Where(w => w.Action == ScaleAction.ScaleUp))
                {
                    ShouldProcess($"{w} in cluster '{DrContext}'", $"Scale from {w.CurrentReplicas} to {w.TargetReplicas} ({w.Source})");
                }
            }
            else
            {
                ShouldProcess($"failover step {step.Name}", step.Message ?? step.Name.ToString());
            }
        }
        return true;
    }

    /// <summary>Runs a user's step on the pipeline thread; a terminating error in it fails the step.</summary>
    private Task<Collection<PSObject>> InvokeAsync(ScriptBlock step, FailoverStepContext context) =>
        OnPipelineThreadAsync(() => step.Invoke(context));

    /// <summary>A replication check's answer: $false fails the step, a TimeSpan is the data age, anything else passes.</summary>
    private static TimeSpan? DataAge(Collection<PSObject> output)
    {
        var values = output.Where(o => o is not null).Select(o => o.BaseObject).ToList();
        if (values.Any(v => v is false))
        {
            throw new InvalidOperationException("it returned $false.");
        }
        return values.OfType<TimeSpan>().Select(t => (TimeSpan?)t).LastOrDefault();
    }
}
