using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Compare;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.Locations;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Shows the drift between a backup and the live cluster, or between two backups of one storage location: which
/// objects were added, removed or changed, and for a changed one the fields, as paths with both values. What a restore
/// resets or the server fills in (uids, versions, timestamps, status, assigned IPs, ...) is no difference.
/// </summary>
[Cmdlet(VerbsData.Compare, "KbBackup")]
[OutputType(typeof(ItemDifference))]
public sealed class CompareKbBackupCommand : ClusterBackupLocationCmdlet
{
    /// <summary>The backup compared from (the reference).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Backup", "ReferenceBackup")]
    [ArgumentCompleter(typeof(BackupNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>A second backup of the same location to compare with; the live cluster when omitted.</summary>
    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(BackupNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? DifferenceBackup { get; set; }

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

    /// <summary>Also write the items that are the same on both sides.</summary>
    [Parameter]
    public SwitchParameter IncludeUnchanged { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var location = ResolveLocation();
        var opened = await OpenRepositoryAsync(location, cancellationToken).ConfigureAwait(false) ?? throw BackupNotFound(Name, location);
        var reference = await OpenBackupAsync(opened, Name, location, cancellationToken).ConfigureAwait(false);
        var options = new CompareOptions
        {
            IncludedNamespaces = IncludeNamespace ?? [],
            ExcludedNamespaces = ExcludeNamespace ?? [],
            IncludedResources = IncludeResource ?? [],
            ExcludedResources = ExcludeResource ?? [],
            IncludeUnchanged = IncludeUnchanged.IsPresent,
        };
        if (DifferenceBackup is not null)
        {
            var difference = await OpenBackupAsync(opened, DifferenceBackup, location, cancellationToken).ConfigureAwait(false);
            EmitVerbose($"Comparing backup '{Name}' with backup '{DifferenceBackup}' in storage location '{location.Name}'.");
            using var comparer = new BackupComparer(Sink);
            await foreach (var item in comparer.CompareBackupsAsync(reference, difference, options, cancellationToken).ConfigureAwait(false))
            {
                Emit(item);
            }
            return;
        }
        var connection = OpenConnection();
        EmitVerbose($"Comparing backup '{Name}' in storage location '{location.Name}' with cluster '{connection.ContextName}' ({connection.Server}).");
        using var cluster = new BackupComparer(connection, Sink);
        await foreach (var item in cluster.CompareWithClusterAsync(reference, options, cancellationToken).ConfigureAwait(false))
        {
            Emit(item);
        }
    }

    /// <summary>A backup of the location; one that does not exist is BackupNotFound naming the location.</summary>
    private static async Task<BackupReader> OpenBackupAsync(LocationRepository opened, string name, StorageLocation location, CancellationToken cancellationToken)
    {
        try
        {
            return await opened.Repository.OpenBackupAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.BackupNotFound)
        {
            throw BackupNotFound(name, location);
        }
    }
}
