using System.Collections;
using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Specs;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.Locations;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Backs up the Kubernetes resources of a cluster into a storage location: every served type at its preferred
/// version (custom resources included), filtered as Velero filters, with pre and post exec hooks. Only what changed
/// since earlier backups is uploaded. -WhatIf lists what would be backed up, per namespace and resource type.
/// </summary>
[Cmdlet(VerbsCommon.New, "KbBackup", SupportsShouldProcess = true)]
[OutputType(typeof(BackupSummary), typeof(BackupPreviewRow))]
public sealed class NewKbBackupCommand : ClusterCmdlet, IBackupTemplateParameters
{
    /// <summary>The backup's name; default: backup-yyyyMMdd-HHmmss (UTC), which sorts by time.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? IncludeNamespace { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
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

    /// <summary>A label selector: app=web, tier in (frontend,backend), !legacy.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Selector { get; set; }

    /// <summary>Objects matching any of these selectors (Velero's orLabelSelectors).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? OrSelector { get; set; }

    /// <summary>Velero's three-valued rule: absent, -IncludeClusterResources, or -IncludeClusterResources:$false.</summary>
    [Parameter]
    public SwitchParameter IncludeClusterResources { get; set; }

    [Parameter]
    [DurationTransformation]
    [ValidatePositiveDuration]
    public TimeSpan Ttl { get; set; }

    /// <summary>Take a CSI snapshot of every claim the backup takes (Velero's snapshotVolumes).</summary>
    [Parameter]
    public SwitchParameter SnapshotVolumes { get; set; }

    /// <summary>How long to wait for the snapshots to be ready to use (Velero's csiSnapshotTimeout).</summary>
    [Parameter]
    [DurationTransformation]
    [ValidatePositiveDuration]
    public TimeSpan SnapshotTimeout { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(StorageLocationNameCompleter))]
    [StorageLocationTransformation]
    [ValidateNotNull]
    public StorageLocation? StorageLocation { get; set; }

    /// <summary>Labels of the backup itself.</summary>
    [Parameter]
    [ValidateNotNull]
    public Hashtable? Label { get; set; }

    /// <summary>Exec hooks as hashtables in the shape of Velero's hooks.resources entries.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public Hashtable[]? Hook { get; set; }

    /// <summary>A Velero Backup manifest: a YAML file or the YAML text. Parameters given as well override its fields.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Spec { get; set; }

    [Parameter]
    [ValidateNotNull]
    public System.Security.SecureString? Passphrase { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeyFile { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var (spec, specName) = BuildSpec();
        var catalog = new StorageLocationCatalog(UserPaths.FromEnvironment());
        var location = StorageLocation
            ?? (spec.StorageLocation is { } named ? StorageLocationResolver.Resolve(named, catalog) : catalog.GetDefault());
        var connection = OpenConnection();
        var options = new BackupRunOptions
        {
            Name = Name ?? specName,
            StorageLocation = location.Name,
            Cluster = $"{connection.ContextName} ({connection.Server})",
        };
        using var runner = new BackupRunner(connection, Sink);
        var what = $"cluster '{connection.ContextName}' into storage location '{location.Name}' ({location.Url})";
        var (proceed, whatIf) = await ShouldProcessOrPreviewAsync(what,
            $"Back up as '{options.Name ?? "backup-<time>"}'{(spec.SnapshotVolumes ? ", snapshotting the volumes of its claims" : "")}").ConfigureAwait(false);
        if (!proceed)
        {
            if (whatIf)
            {
                var preview = await runner.PreviewAsync(spec, options, cancellationToken).ConfigureAwait(false);
                foreach (var row in preview.Rows)
                {
                    Emit(row);
                }
                EmitVerbose($"A backup would take {preview.Items} items in {preview.Rows.Count} namespace and resource combinations.");
            }
            return;
        }
        EmitVerbose($"Backing up {what}.");
        using var key = RepositoryKeyResolver.Resolve(Passphrase, KeyFile, CurrentDirectory);
        await using var opened = await LocationRepository.OpenAsync(location, key, new RepositoryOptions { Sink = Sink }, createIfMissing: true, cancellationToken).ConfigureAwait(false);
        var summary = await runner.RunAsync(opened.Repository, spec, options, cancellationToken).ConfigureAwait(false);
        Emit(summary);
        if (summary.Phase == BackupPhase.Failed)
        {
            EmitError(new KbException(ErrorIds.BackupFailed, KbErrorCategory.WriteError, summary, $"Backup '{summary.Name}' failed: {summary.FailureReason}"));
        }
        else if (summary.Phase == BackupPhase.PartiallyFailed)
        {
            EmitError(new KbException(ErrorIds.BackupPartiallyFailed, KbErrorCategory.InvalidResult, summary,
                $"Backup '{summary.Name}' partially failed: {summary.FailureReason} Get-KbBackupLog '{summary.Name}' lists every problem."));
        }
    }

    /// <summary>The -Spec manifest (if any), then every parameter given on top of it.</summary>
    private (BackupSpec Spec, string? Name) BuildSpec()
    {
        var spec = new BackupSpec();
        string? name = null;
        if (Spec is not null)
        {
            var manifest = VeleroBackupSpec.Load(Spec, CurrentDirectory);
            foreach (var warning in manifest.Warnings)
            {
                EmitWarning(warning);
            }
            (spec, name) = (manifest.Spec, manifest.Name);
        }
        return (BackupTemplate.Apply(spec, this, MyInvocation.BoundParameters), name);
    }
}
