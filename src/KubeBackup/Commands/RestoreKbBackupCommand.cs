using System.Collections;
using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Restore;
using KubeBackup.Core.Specs;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Restores a backup into a cluster (the current one, or -Context/-Kubeconfig: another cluster reading the same storage
/// location): CRDs first and awaited, then namespaces, storage, RBAC, config, workloads and the rest, each tier
/// concurrently; namespaces mapped, cluster-scoped items by Velero's rule, existing objects skipped or updated. -WhatIf
/// and -PlanOnly show per item what would happen, judged against the live cluster.
/// </summary>
[Cmdlet(VerbsData.Restore, "KbBackup", SupportsShouldProcess = true, DefaultParameterSetName = ByName)]
[OutputType(typeof(RestoreSummary), typeof(RestoreItemResult))]
public sealed class RestoreKbBackupCommand : ClusterBackupLocationCmdlet
{
    private const string ByName = nameof(ByName);
    private const string LatestSet = "Latest";

    /// <summary>The backup to restore; bound from Get-KbBackup's output.</summary>
    [Parameter(Position = 0, ParameterSetName = ByName, ValueFromPipelineByPropertyName = true)]
    [Alias("BackupName")]
    [ArgumentCompleter(typeof(BackupNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Restore the newest Completed (or PartiallyFailed) backup.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LatestSet)]
    public SwitchParameter Latest { get; set; }

    /// <summary>With -Latest: the newest backup made by this schedule.</summary>
    [Parameter(ParameterSetName = LatestSet)]
    [ValidateNotNullOrEmpty]
    public string? Schedule { get; set; }

    /// <summary>The restore's name (its record in the storage location); default: the backup's name and the time.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RestoreName { get; set; }

    /// <summary>Only items of these namespaces of the backup (before the mapping); wildcards.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? IncludeNamespace { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? ExcludeNamespace { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ResourceTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? IncludeResource { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(ResourceTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? ExcludeResource { get; set; }

    /// <summary>A label selector on the backed-up objects: app=web, tier in (frontend,backend), !legacy.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Selector { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? OrSelector { get; set; }

    /// <summary>Original namespace = target namespace: @{ production = 'production-restored' }.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? NamespaceMapping { get; set; }

    /// <summary>Velero's three-valued rule: absent, -IncludeClusterResources, or -IncludeClusterResources:$false.</summary>
    [Parameter]
    public SwitchParameter IncludeClusterResources { get; set; }

    /// <summary>What to do with objects that exist in the target: Skip (default; the differences are reported) or Update.</summary>
    [Parameter]
    [ValidateSet("Skip", "Update", IgnoreCase = true)]
    public string? ExistingResourcePolicy { get; set; }

    /// <summary>Resource types whose status is restored too (<c>*</c> for all).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ResourceTypeCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? RestoreStatus { get; set; }

    /// <summary>Keep the nodePorts of Services instead of letting the target assign new ones.</summary>
    [Parameter]
    public SwitchParameter PreserveNodePorts { get; set; }

    /// <summary>How long to wait for restored CRDs to become Established and terminating target namespaces to go.</summary>
    [Parameter]
    [DurationTransformation]
    [ValidatePositiveDuration]
    public TimeSpan WaitTimeout { get; set; }

    /// <summary>Labels of the restore record.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? Label { get; set; }

    /// <summary>A Velero Restore manifest: a YAML file or the YAML text. Parameters given as well override its fields.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Spec { get; set; }

    /// <summary>Output the plan (what would happen to every item, judged against the live cluster) and change nothing.</summary>
    [Parameter]
    public SwitchParameter PlanOnly { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var (spec, specName) = BuildSpec();
        var location = ResolveLocation();
        var connection = OpenConnection();
        var options = new RestoreRunOptions
        {
            Name = RestoreName ?? specName,
            StorageLocation = location.Name,
            Cluster = $"{connection.ContextName} ({connection.Server})",
        };
        if (MyInvocation.BoundParameters.ContainsKey(nameof(WaitTimeout)))
        {
            options = options with { WaitTimeout = WaitTimeout };
        }
        var opened = await OpenRepositoryAsync(location, cancellationToken).ConfigureAwait(false)
            ?? throw new KbException(ErrorIds.BackupNotFound, KbErrorCategory.ObjectNotFound, spec.BackupName ?? location.Name,
                $"Storage location '{location.Name}' holds no backups yet, so there is nothing to restore.");
        using var runner = new RestoreRunner(connection, Sink);
        var backup = await RestoreRunner.ResolveBackupAsync(opened.Repository, spec, cancellationToken).ConfigureAwait(false);
        spec = spec with { BackupName = backup.Name };
        var what = $"cluster '{connection.ContextName}' from backup '{backup.Name}' in storage location '{location.Name}'";
        var (proceed, whatIf) = PlanOnly ? (false, true)
            : await ShouldProcessOrPreviewAsync(what, $"Restore{(spec.NamespaceMapping.Count > 0 ? $" with namespaces {string.Join(", ", spec.NamespaceMapping.Select(p => $"{p.Key} -> {p.Value}"))}" : "")}").ConfigureAwait(false);
        if (!proceed)
        {
            if (whatIf)
            {
                var plan = await runner.PlanAsync(opened.Repository, spec, options, cancellationToken).ConfigureAwait(false);
                foreach (var item in plan)
                {
                    Emit(item);
                }
                EmitVerbose($"Plan for {what}: {string.Join(", ", plan.GroupBy(i => i.Action).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"))}.");
            }
            return;
        }
        EmitVerbose($"Restoring {what}.");
        var summary = await runner.RunAsync(opened.Repository, spec, options, cancellationToken).ConfigureAwait(false);
        Emit(summary);
        if (summary.Phase == RestorePhase.Failed)
        {
            EmitError(new KbException(ErrorIds.RestoreFailed, KbErrorCategory.WriteError, summary, $"Restore '{summary.Name}' failed: {summary.FailureReason}"));
        }
        else if (summary.Phase == RestorePhase.PartiallyFailed)
        {
            EmitError(new KbException(ErrorIds.RestorePartiallyFailed, KbErrorCategory.InvalidResult, summary,
                $"Restore '{summary.Name}' partially failed: {summary.FailureReason} Get-KbRestoreItem '{summary.Name}' -Outcome Failed lists every failed item."));
        }
    }

    /// <summary>The -Spec manifest (if any), then every parameter given on top of it.</summary>
    private (RestoreSpec Spec, string? Name) BuildSpec()
    {
        var spec = new RestoreSpec();
        string? name = null;
        if (Spec is not null)
        {
            var manifest = VeleroRestoreSpec.Load(Spec, CurrentDirectory);
            foreach (var warning in manifest.Warnings)
            {
                EmitWarning(warning);
            }
            (spec, name) = (manifest.Spec, manifest.Name);
        }
        var bound = MyInvocation.BoundParameters;
        if (Name is null && !Latest && spec.BackupName is null && spec.ScheduleName is null)
        {
            throw new KbException(ErrorIds.RestoreSpecInvalid, KbErrorCategory.InvalidArgument, "Restore-KbBackup",
                "Say which backup to restore: a name (Restore-KbBackup <backup>, or Get-KbBackup <backup> | Restore-KbBackup), -Latest, or a -Spec with backupName or scheduleName.");
        }
        return (spec with
        {
            BackupName = Name ?? (Latest ? null : spec.BackupName),
            ScheduleName = Schedule ?? (Latest ? null : spec.ScheduleName),
            IncludedNamespaces = IncludeNamespace ?? spec.IncludedNamespaces,
            ExcludedNamespaces = ExcludeNamespace ?? spec.ExcludedNamespaces,
            IncludedResources = IncludeResource ?? spec.IncludedResources,
            ExcludedResources = ExcludeResource ?? spec.ExcludedResources,
            LabelSelector = Selector ?? spec.LabelSelector,
            OrLabelSelectors = OrSelector ?? spec.OrLabelSelectors,
            NamespaceMapping = NamespaceMapping is null ? spec.NamespaceMapping : PlainValues.Texts(NamespaceMapping),
            IncludeClusterResources = bound.ContainsKey(nameof(IncludeClusterResources)) ? IncludeClusterResources.IsPresent : spec.IncludeClusterResources,
            ExistingResourcePolicy = ExistingResourcePolicy is null ? spec.ExistingResourcePolicy : Enum.Parse<ExistingResourcePolicy>(ExistingResourcePolicy, ignoreCase: true),
            RestoreStatusIncludedResources = RestoreStatus ?? spec.RestoreStatusIncludedResources,
            PreserveNodePorts = bound.ContainsKey(nameof(PreserveNodePorts)) ? PreserveNodePorts.IsPresent : spec.PreserveNodePorts,
            Labels = Label is null ? spec.Labels : PlainValues.Texts(Label),
        }, name);
    }
}
