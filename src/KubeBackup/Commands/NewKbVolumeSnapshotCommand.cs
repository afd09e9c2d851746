using System.Collections;
using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Cluster.Selectors;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Snapshots;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Takes CSI VolumeSnapshots (snapshot.storage.k8s.io/v1) of PersistentVolumeClaims chosen by namespace and label
/// selector (the seed's <c>backup=enabled</c>), or piped in by namespace and name. Snapshots are named from a format
/// (<c>&lt;pvc&gt;-snap-&lt;yyyyMMdd-HHmm&gt;</c>), labelled <c>backup-type</c> and <c>source-pvc</c>, created
/// concurrently and, with -Wait, awaited until ready to use. Every claim gets a result; each one that failed or timed
/// out is also a non-terminating error. -WhatIf lists the snapshots that would be created.
/// </summary>
[Cmdlet(VerbsCommon.New, "KbVolumeSnapshot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = NamespaceSet)]
[OutputType(typeof(VolumeSnapshotResult))]
public sealed class NewKbVolumeSnapshotCommand : ClusterCmdlet
{
    private const string NamespaceSet = "Namespace";
    private const string AllNamespacesSet = "AllNamespaces";
    private const string ClaimSet = "Claim";

    private readonly List<(string? Namespace, string Name)> _piped = [];

    /// <summary>Claims by name (with -Namespace), or from the pipeline: any object with Namespace and Name properties.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ClaimSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Name", "ClaimName", "SourcePvc")]
    [ArgumentCompleter(typeof(ClaimNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? PersistentVolumeClaim { get; set; }

    /// <summary>The namespaces to look in; default: the namespace of the kubeconfig context.</summary>
    [Parameter(ParameterSetName = NamespaceSet)]
    [Parameter(ParameterSetName = ClaimSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Namespace { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = AllNamespacesSet)]
    public SwitchParameter AllNamespaces { get; set; }

    /// <summary>The claims' label selector; default <c>backup=enabled</c>; an empty string takes every claim.</summary>
    [Parameter(ParameterSetName = NamespaceSet)]
    [Parameter(ParameterSetName = AllNamespacesSet)]
    [AllowEmptyString]
    [ValidateNotNull]
    public string Selector { get; set; } = SnapshotLabels.DefaultClaimSelector;

    /// <summary>The snapshot name: {pvc}, {namespace}, {type} and {time:FORMAT} (UTC) are replaced.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string NameFormat { get; set; } = SnapshotNames.DefaultFormat;

    /// <summary>The <c>backup-type</c> label (daily, hourly, ...), which retention selects on.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string BackupType { get; set; } = SnapshotLabels.DefaultBackupType;

    /// <summary>The VolumeSnapshotClass; default: the class marked default for each claim's CSI driver.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SnapshotClass { get; set; }

    /// <summary>Extra labels of every snapshot.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? Label { get; set; }

    /// <summary>Wait until each snapshot is ready to use, has failed, or -Timeout has passed.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    [Parameter]
    [DurationTransformation]
    [ValidatePositiveDuration]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        if (ParameterSetName != ClaimSet && Selector.Length > 0)
        {
            LabelSelector.Parse(Selector);
        }
        SnapshotNames.ValidateFormat(NameFormat);
        if (!Wait && MyInvocation.BoundParameters.ContainsKey(nameof(Timeout)))
        {
            EmitWarning("-Timeout applies only with -Wait; the snapshots are created and not awaited.");
        }
        return Task.CompletedTask;
    }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        if (ParameterSetName == ClaimSet)
        {
            foreach (var name in PersistentVolumeClaim ?? [])
            {
                foreach (var ns in Namespace is { Length: > 0 } namespaces ? namespaces : new string?[] { null })
                {
                    _piped.Add((ns, name));
                }
            }
        }
        return Task.CompletedTask;
    }

    protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
    {
        var connection = OpenConnection();
        using var client = new VolumeSnapshotClient(connection);
        await client.EnsureSnapshotApiAsync(connection.ContextName, cancellationToken).ConfigureAwait(false);

        var claims = ParameterSetName == ClaimSet
            ? await PipedClaimsAsync(client, connection.Namespace, cancellationToken).ConfigureAwait(false)
            : await client.ListClaimsAsync(AllNamespaces ? null : Namespace ?? [connection.Namespace], Selector.Length > 0 ? Selector : null, cancellationToken).ConfigureAwait(false);
        if (claims.Count == 0)
        {
            EmitVerbose(ParameterSetName == ClaimSet
                ? "No claims to snapshot."
                : $"No PersistentVolumeClaims match '{Selector}' in {(AllNamespaces ? "any namespace" : "namespace " + string.Join(", ", Namespace ?? [connection.Namespace]))}.");
            return;
        }

        var request = new SnapshotRequest
        {
            NameFormat = NameFormat,
            BackupType = BackupType,
            SnapshotClass = SnapshotClass,
            Labels = Label is null ? new Dictionary<string, string>() : PlainValues.Texts(Label),
            Timeout = Timeout,
        };
        var taker = new SnapshotTaker(client, Sink);
        var plans = await taker.PlanAsync(claims, request, cancellationToken).ConfigureAwait(false);

        // Decide on the pipeline thread first; plans that cannot be taken go through too, to become their results.
        var chosen = new List<SnapshotPlan>();
        foreach (var plan in plans)
        {
            if (plan.Problem is not null
                || await ShouldProcessAsync($"VolumeSnapshot {plan.Claim.Namespace}/{plan.Name}", $"Create (claim {plan.Claim.Name}, class {plan.SnapshotClass})").ConfigureAwait(false))
            {
                chosen.Add(plan);
            }
        }
        if (chosen.Count == 0)
        {
            return;
        }

        var results = await taker.TakeAsync(chosen, request, Wait, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            Emit(result);
            if (result.Status == SnapshotOutcome.Skipped)
            {
                EmitWarning(result.Message ?? $"VolumeSnapshot {result} exists already.");
            }
            else if (!result.Succeeded)
            {
                // A claim that could not be planned is the error's target; a snapshot that failed or timed out is its result.
                object target = chosen[i].Problem is not null ? chosen[i].Claim : result;
                EmitError(new KbException(result.ErrorId ?? ErrorIds.SnapshotFailed, Category(result), target, result.Message ?? $"Snapshot {result} failed."));
            }
        }
    }

    /// <summary>The piped claims, each read once; a missing one is its own error.</summary>
    private async Task<IReadOnlyList<ClaimInfo>> PipedClaimsAsync(VolumeSnapshotClient client, string defaultNamespace, CancellationToken cancellationToken)
    {
        var wanted = _piped.Select(p => (Namespace: p.Namespace ?? defaultNamespace, p.Name)).Distinct().ToList();
        var found = new ClaimInfo?[wanted.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = new SnapshotRequest().MaxConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, wanted.Count), options, async (i, token) =>
            found[i] = await client.GetClaimAsync(wanted[i].Namespace, wanted[i].Name, token).ConfigureAwait(false)).ConfigureAwait(false);
        var claims = new List<ClaimInfo>();
        for (var i = 0; i < wanted.Count; i++)
        {
            if (found[i] is { } claim)
            {
                claims.Add(claim);
            }
            else
            {
                var (ns, name) = wanted[i];
                EmitError(new KbException(ErrorIds.ClaimNotSnapshottable, KbErrorCategory.ObjectNotFound, $"{ns}/{name}",
                    $"PersistentVolumeClaim {ns}/{name} does not exist, so it cannot be snapshotted."));
            }
        }
        return claims;
    }

    private static KbErrorCategory Category(VolumeSnapshotResult result) => result.ErrorId switch
    {
        ErrorIds.SnapshotClassNotFound or ErrorIds.SnapshotNotFound => KbErrorCategory.ObjectNotFound,
        ErrorIds.ClaimNotSnapshottable => KbErrorCategory.InvalidOperation,
        ErrorIds.SnapshotNameInvalid => KbErrorCategory.InvalidArgument,
        ErrorIds.SnapshotTimedOut => KbErrorCategory.OperationTimeout,
        _ when result.Status == SnapshotOutcome.TimedOut => KbErrorCategory.OperationTimeout,
        _ => KbErrorCategory.InvalidResult,
    };
}
