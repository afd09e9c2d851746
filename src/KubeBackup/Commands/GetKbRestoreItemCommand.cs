using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Errors;
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
        var location = ResolveLocation();
        var opened = await OpenRepositoryAsync(location, cancellationToken).ConfigureAwait(false) ?? throw GetKbRestoreCommand.NotFound(Name, location.Name);
        IReadOnlyList<RestoreItemResult> items;
        try
        {
            items = await RestoreRecords.GetItemsAsync(opened.Repository, Name, cancellationToken).ConfigureAwait(false);
        }
        catch (KbException e) when (e.ErrorId == ErrorIds.RestoreNotFound)
        {
            throw GetKbRestoreCommand.NotFound(Name, location.Name);
        }
        var namespaces = Namespace?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        var resources = Resource?.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
        foreach (var item in items)
        {
            if ((Outcome is null || Outcome.Contains(item.Outcome?.ToString() ?? "", StringComparer.OrdinalIgnoreCase))
                && (namespaces is null || (item.TargetNamespace is { } ns && namespaces.Any(p => p.IsMatch(ns))))
                && (resources is null || resources.Any(p => p.IsMatch(item.Resource) || p.IsMatch(item.FullResource))))
            {
                Emit(item);
            }
        }
    }
}
