using System.Text.Json.Nodes;
using k8s;
using KubeBackup.Core.Cluster.Api;
using KubeBackup.Core.Cluster.Listing;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Failover;

/// <summary>
/// The DR side of a failover: which Deployments and StatefulSets to scale to what (from the standby annotation),
/// the scale itself (one merge patch that sets the replicas and removes the annotation, so a later Set-KbStandby
/// records the count of the day instead of keeping a stale one), and readiness.
/// </summary>
public sealed class FailoverWorkloads : IDisposable
{
    private readonly IKubernetes _client;
    private readonly bool _ownsClient;
    private readonly ObjectClient _objects;

    internal FailoverWorkloads(IKubernetes client, RetryPolicy? retry = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _objects = new ObjectClient(client, retry ?? RetryPolicy.Default);
    }

    public FailoverWorkloads(Cluster.ClusterConnection connection)
        : this(connection.CreateClient())
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

    /// <summary>What failover would do to each workload of <paramref name="namespace"/>; changes nothing.</summary>
    /// <exception cref="KbException"><see cref="ErrorIds.NamespaceNotFound"/>.</exception>
    public async Task<IReadOnlyList<WorkloadScale>> PlanAsync(string @namespace, string annotation, int? defaultReplicas, string cluster, CancellationToken cancellationToken)
    {
        await Workloads.RequireNamespaceAsync(_objects, @namespace, cluster, cancellationToken).ConfigureAwait(false);
        return (await Workloads.ListAsync(_objects, @namespace, cancellationToken).ConfigureAwait(false))
            .Select(w => Plan(@namespace, w.Kind, w.Item, annotation, defaultReplicas))
            .ToList();
    }

    private static WorkloadScale Plan(string @namespace, string kind, JsonObject item, string annotation, int? defaultReplicas)
    {
        var scale = new WorkloadScale { Namespace = @namespace, Kind = kind, Name = Workloads.Name(item), CurrentReplicas = Workloads.Replicas(item) };
        if (Workloads.Recorded(item, annotation) is { } text)
        {
            return Workloads.TryParseCount(text, out var count)
                ? scale with { TargetReplicas = count, Source = annotation, Action = ScaleAction.ScaleUp }
                : scale with { Action = ScaleAction.Failed, ErrorId = ErrorIds.StandbyAnnotationInvalid, Message = Workloads.InvalidAnnotationMessage(scale.ToString(), annotation, text) };
        }
        if (scale.CurrentReplicas > 0)
        {
            return scale with { TargetReplicas = scale.CurrentReplicas, Source = "spec.replicas", Action = ScaleAction.Running };
        }
        return defaultReplicas is { } replicas
            ? scale with { TargetReplicas = replicas, Source = "-DefaultReplicas", Action = ScaleAction.ScaleUp }
            : scale with
            {
                Action = ScaleAction.Skipped,
                Message = $"{scale} is at 0 replicas and has no {annotation} annotation; it stays at 0. Scale it yourself, or give -DefaultReplicas.",
            };
    }

    /// <summary>The Namespace object (for its standby marks), or null.</summary>
    public Task<JsonObject?> GetNamespaceAsync(string @namespace, CancellationToken cancellationToken) =>
        Workloads.GetNamespaceAsync(_objects, @namespace, cancellationToken);

    /// <summary>Writes standby marks (<see cref="StandbyMarks"/>) on the namespace.</summary>
    public Task MarkNamespaceAsync(string @namespace, JsonObject patch, CancellationToken cancellationToken) =>
        Workloads.PatchNamespaceAsync(_objects, @namespace, patch, cancellationToken);

    /// <summary>Scales a planned ScaleUp workload; other plans are returned unchanged.</summary>
    public async Task<WorkloadScale> ScaleAsync(WorkloadScale plan, string annotation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Action != ScaleAction.ScaleUp)
        {
            return plan;
        }
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [annotation] = null } },
            ["spec"] = new JsonObject { ["replicas"] = plan.TargetReplicas },
        };
        try
        {
            await _objects.MergePatchAsync(Workloads.PathOf(plan.Kind, plan.Namespace, plan.Name), patch, cancellationToken).ConfigureAwait(false);
            return plan;
        }
        catch (ApiResponseError e)
        {
            return plan with { Action = ScaleAction.Failed, ErrorId = ErrorIds.FailoverScaleFailed, Message = $"{plan}: the API server refused to scale it to {plan.TargetReplicas}: {e.Message}" };
        }
    }

    /// <summary>
    /// Whether the workload is ready as <c>kubectl rollout status</c> judges it: the controller saw the latest spec and
    /// every desired replica is updated, ready and (Deployments) available. A workload that is gone is not ready.
    /// </summary>
    public async Task<WorkloadScale> ReadinessAsync(WorkloadScale workload, CancellationToken cancellationToken)
    {
        var live = await _objects.GetAsync(Workloads.PathOf(workload.Kind, workload.Namespace, workload.Name), cancellationToken).ConfigureAwait(false);
        if (live is null)
        {
            return workload with { Ready = false, Readiness = "deleted" };
        }
        var desired = Workloads.Replicas(live);
        var status = live["status"] as JsonObject;
        long Field(string name) => status?[name] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
        var observed = status?["observedGeneration"] is JsonValue o && o.TryGetValue<long>(out var g) ? g : 0;
        var generation = live["metadata"]?["generation"] is JsonValue gv && gv.TryGetValue<long>(out var gen) ? gen : 0;
        var ready = Field("readyReplicas");
        var isReady = observed >= generation
            && ready >= desired
            && Field("updatedReplicas") >= desired
            && (workload.Kind != "Deployment" || Field("availableReplicas") >= desired);
        return workload with { Ready = isReady, Readiness = $"{ready}/{desired}" };
    }
}
