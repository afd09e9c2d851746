using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Failover;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Puts the Deployments and StatefulSets of namespaces on standby (issue 9, cross-region DR): each workload's replicas
/// are recorded in the <c>original-replicas</c> annotation (the seed's name; prefix configurable) and it is scaled to 0.
/// Idempotent: a count already recorded is kept, never overwritten with 0. A workload whose annotation is not a
/// non-negative integer is left alone and is a non-terminating <c>StandbyAnnotationInvalid</c> error; a missing
/// namespace is a non-terminating <c>NamespaceNotFound</c>. -WhatIf lists each workload and the count it would record.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KbStandby", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(StandbyResult))]
public sealed class SetKbStandbyCommand : ClusterCmdlet
{
    /// <summary>The namespaces whose workloads go on standby.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Namespace { get; set; } = [];

    /// <summary>Put before <c>original-replicas</c>; default empty (the seed's annotation).</summary>
    [Parameter]
    [AllowEmptyString]
    [ValidateNotNull]
    public string AnnotationPrefix { get; set; } = string.Empty;

    protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
    {
        var connection = OpenConnection();
        using var workloads = new StandbyWorkloads(connection);
        foreach (var ns in Namespace.Distinct(StringComparer.Ordinal))
        {
            IReadOnlyList<StandbyResult> plans;
            try
            {
                plans = await workloads.PlanAsync(ns, AnnotationPrefix, cancellationToken).ConfigureAwait(false);
            }
            catch (KbException e) when (e.ErrorId == ErrorIds.NamespaceNotFound)
            {
                EmitError(e);
                continue;
            }
            if (plans.Count == 0)
            {
                EmitWarning($"Namespace '{ns}' has no Deployments or StatefulSets; nothing to put on standby.");
            }
            foreach (var plan in plans)
            {
                var result = plan;
                if (plan.Action != StandbyAction.Failed)
                {
                    var what = plan.Action == StandbyAction.ScaledDown
                        ? $"Record {plan.Annotation}={plan.RecordedReplicas} and scale from {plan.PreviousReplicas} to 0"
                        : $"Keep the recorded {plan.Annotation}={plan.RecordedReplicas} and scale from {plan.PreviousReplicas} to 0";
                    if (!await ShouldProcessAsync($"{plan.Kind} {plan.Namespace}/{plan.Name}", what).ConfigureAwait(false))
                    {
                        continue;
                    }
                    result = await workloads.ApplyAsync(plan, cancellationToken).ConfigureAwait(false);
                }
                Emit(result);
                if (result.Action == StandbyAction.Failed)
                {
                    var category = result.ErrorId == ErrorIds.StandbyAnnotationInvalid ? KbErrorCategory.InvalidData : KbErrorCategory.InvalidResult;
                    EmitError(new KbException(result.ErrorId ?? ErrorIds.StandbyScaleFailed, category, $"{result.Namespace}/{result.Kind}/{result.Name}", result.Message ?? $"{result} failed."));
                }
                else if (result.Message is not null)
                {
                    EmitVerbose(result.Message);
                }
            }
            // A namespace a failover promoted is a standby again: Sync-KbStandby may update it from now on.
            if (await workloads.PromotedAsync(ns, cancellationToken).ConfigureAwait(false) is { } promoted
                && await ShouldProcessAsync($"Namespace {ns}", $"Remove the mark of the failover at {promoted} ({StandbyMarks.PromotedAnnotation}), so Sync-KbStandby may update it").ConfigureAwait(false))
            {
                await workloads.ClearPromotedAsync(ns, cancellationToken).ConfigureAwait(false);
                EmitVerbose($"Namespace '{ns}' was promoted by a failover at {promoted}; it is a standby again.");
            }
        }
    }
}
