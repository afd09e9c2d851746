using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Restore;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Lists what a restore did with each item of the backup: created, updated, skipped or failed, and why; filtered by
/// outcome, namespace (the target's), resource type and name. PartiallyFailed is never a mystery:
/// <c>Get-KbRestoreItem &lt;restore&gt; -Outcome Failed</c>.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KbRestoreItem")]
[OutputType(typeof(RestoreItemResult))]
public sealed class GetKbRestoreItemCommand : BackupLocationCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Restore", "RestoreName")]
    [ArgumentCompleter(typeof(RestoreNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>Only items with these outcomes.</summary>
    [Parameter]
    [ValidateSet("Created", "Updated", "Skipped", "Failed", IgnoreCase = true)]
    public string[]? Outcome { get; set; }

    /// <summary>Only items restored into these namespaces (wildcards).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Namespace { get; set; }

    /// <summary>Only these resource types (wildcards): <c>deployments</c> or <c>deployments.apps</c>.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Resource { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var items = await ReadRestoreAsync(Name, RestoreRecords.GetItemsAsync, cancellationToken).ConfigureAwait(false);
        var namespaces = WildcardNames.Patterns(Namespace);
        var resources = WildcardNames.Patterns(Resource);
        foreach (var item in items)
        {
            if ((Outcome is null || Outcome.Contains(item.Outcome?.ToString() ?? "", StringComparer.OrdinalIgnoreCase))
                && WildcardNames.Matches(namespaces, item.TargetNamespace)
                && (WildcardNames.Matches(resources, item.Resource) || WildcardNames.Matches(resources, item.FullResource)))
            {
                Emit(item);
            }
        }
    }
}
