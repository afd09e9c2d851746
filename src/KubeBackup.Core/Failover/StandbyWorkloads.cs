using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using KubeBackup.Core.Cluster.Api;
using KubeBackup.Core.Cluster.Listing;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Failover;

/// <summary>
/// Puts a standby cluster's Deployments and StatefulSets (apps/v1) to sleep: each workload's replicas are recorded in
/// the <c>&lt;prefix&gt;original-replicas</c> annotation and spec.replicas set to 0, in one merge patch. A count already
/// recorded is never overwritten (so running it twice keeps the real count, not 0); an annotation that is not a
/// non-negative integer leaves the workload alone and fails it.
/// </summary>
public sealed class StandbyWorkloads : IDisposable
{
    /// <summary>The annotation's name after the prefix; with the default (empty) prefix it is the seed's name.</summary>
    public const string AnnotationName = "original-replicas";

    private readonly IKubernetes _client;
    private readonly bool _ownsClient;
    private readonly ObjectClient _objects;

    internal StandbyWorkloads(IKubernetes client, RetryPolicy? retry = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _objects = new ObjectClient(client, retry ?? RetryPolicy.Default);
    }

    /// <summary>A client of its own for the connection (the module's way in).</summary>
    public StandbyWorkloads(Cluster.ClusterConnection connection)
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

    /// <summary>The annotation for a prefix (<c>kubebackup.io/</c> gives <c>kubebackup.io/original-replicas</c>).</summary>
    public static string Annotation(string? prefix) => (prefix ?? string.Empty) + AnnotationName;

    /// <summary>
    /// What standby would do to each workload of <paramref name="namespace"/>, changing nothing: ScaledDown (record and
    /// scale), AlreadyStandby (keep the recorded count) or Failed (bad annotation).
    /// </summary>
    /// <exception cref="KbException"><see cref="ErrorIds.NamespaceNotFound"/>.</exception>
    public async Task<IReadOnlyList<StandbyResult>> PlanAsync(string @namespace, string? prefix, CancellationToken cancellationToken)
    {
        await Workloads.RequireNamespaceAsync(_objects, @namespace, "the cluster", cancellationToken).ConfigureAwait(false);
        var annotation = Annotation(prefix);
        return (await Workloads.ListAsync(_objects, @namespace, cancellationToken).ConfigureAwait(false))
            .Select(w => Plan(@namespace, w.Kind, w.Item, annotation))
            .ToList();
    }

    private static StandbyResult Plan(string @namespace, string kind, JsonObject item, string annotation)
    {
        var name = Workloads.Name(item);
        var replicas = Workloads.Replicas(item);
        var text = Workloads.Recorded(item, annotation);
        if (text is null)
        {
            return new StandbyResult
            {
                Namespace = @namespace, Kind = kind, Name = name, Annotation = annotation,
                PreviousReplicas = replicas, RecordedReplicas = replicas, Action = StandbyAction.ScaledDown,
                Message = replicas == 0 ? $"{kind} {@namespace}/{name} was at 0 replicas already; 0 is recorded, so failover keeps it at 0." : null,
            };
        }
        if (!Workloads.TryParseCount(text, out var count))
        {
            return new StandbyResult
            {
                Namespace = @namespace, Kind = kind, Name = name, Annotation = annotation,
                PreviousReplicas = replicas, Action = StandbyAction.Failed, ErrorId = ErrorIds.StandbyAnnotationInvalid,
                Message = Workloads.InvalidAnnotationMessage($"{kind} {@namespace}/{name}", annotation, text),
            };
        }
        return new StandbyResult
        {
            Namespace = @namespace, Kind = kind, Name = name, Annotation = annotation,
            PreviousReplicas = replicas, RecordedReplicas = count, Action = StandbyAction.AlreadyStandby,
            Message = replicas == 0 ? null : $"{kind} {@namespace}/{name} had {replicas} replicas but {count} recorded; the recorded count is kept and the workload scaled to 0.",
        };
    }

    /// <summary>The Namespace object, with its standby marks, or null.</summary>
    public Task<JsonObject?> GetNamespaceAsync(string @namespace, CancellationToken cancellationToken) =>
        Workloads.GetNamespaceAsync(_objects, @namespace, cancellationToken);

    /// <summary>Writes standby marks (<see cref="StandbyMarks"/>) on the namespace.</summary>
    public Task MarkNamespaceAsync(string @namespace, JsonObject patch, CancellationToken cancellationToken) =>
        Workloads.PatchNamespaceAsync(_objects, @namespace, patch, cancellationToken);

    /// <summary>When a failover promoted the namespace (its <see cref="StandbyMarks.PromotedAnnotation"/>), or null.</summary>
    public async Task<string?> PromotedAsync(string @namespace, CancellationToken cancellationToken) =>
        StandbyMarks.Promoted(await GetNamespaceAsync(@namespace, cancellationToken).ConfigureAwait(false));

    /// <summary>Removes a failover's promoted mark: the namespace is a standby again, which Sync-KbStandby may update.</summary>
    public Task ClearPromotedAsync(string @namespace, CancellationToken cancellationToken) =>
        MarkNamespaceAsync(@namespace, StandbyMarks.StandbyAgainPatch(), cancellationToken);

    /// <summary>Carries out a planned result: one merge patch (annotation when new, replicas 0). Failed plans are returned unchanged.</summary>
    public async Task<StandbyResult> ApplyAsync(StandbyResult plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Action == StandbyAction.Failed || (plan.Action == StandbyAction.AlreadyStandby && plan.PreviousReplicas == 0))
        {
            return plan;
        }
        var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 0 } };
        if (plan.Action == StandbyAction.ScaledDown)
        {
            patch["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { [plan.Annotation] = plan.RecordedReplicas!.Value.ToString(CultureInfo.InvariantCulture) },
            };
        }
        try
        {
            await _objects.MergePatchAsync(Workloads.PathOf(plan.Kind, plan.Namespace, plan.Name), patch, cancellationToken).ConfigureAwait(false);
            return plan;
        }
        catch (ApiResponseError e)
        {
            return plan with
            {
                Action = StandbyAction.Failed, ErrorId = ErrorIds.StandbyScaleFailed,
                RecordedReplicas = plan.Action == StandbyAction.ScaledDown ? null : plan.RecordedReplicas,
                Message = $"{plan}: the API server refused to scale it down: {e.Message}",
            };
        }
    }
}
