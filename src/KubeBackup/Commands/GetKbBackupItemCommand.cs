using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Backup;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Lists what a backup holds, entry by entry as the manifest is read (a backup of a large cluster is never held in
/// memory whole), filtered by namespace, resource type and name.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KbBackupItem")]
[OutputType(typeof(BackupItem))]
public sealed class GetKbBackupItemCommand : BackupLocationCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Backup")]
    [ArgumentCompleter(typeof(BackupNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>Only items in these namespaces (wildcards); cluster-scoped items are left out when given.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Namespace { get; set; }

    /// <summary>Only these resource types (wildcards): <c>deployments</c>, or with the group, <c>deployments.apps</c>.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Resource { get; set; }

    /// <summary>Only items with these names (wildcards).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? ItemName { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var location = ResolveLocation();
        var opened = await OpenRepositoryAsync(location, cancellationToken).ConfigureAwait(false) ?? throw BackupNotFound(Name, location);
        var reader = await opened.Repository.OpenBackupAsync(Name, cancellationToken).ConfigureAwait(false);
        var namespaces = WildcardNames.Patterns(Namespace);
        var resources = WildcardNames.Patterns(Resource);
        var names = WildcardNames.Patterns(ItemName);
        await foreach (var entry in reader.ReadEntriesAsync(cancellationToken).ConfigureAwait(false))
        {
            var item = BackupItem.FromEntry(Name, LocationName(location), entry);
            if (WildcardNames.Matches(namespaces, item.Namespace)
                && (WildcardNames.Matches(resources, item.Resource) || WildcardNames.Matches(resources, item.GroupResource))
                && WildcardNames.Matches(names, item.Name))
            {
                Emit(item);
            }
        }
    }

}
