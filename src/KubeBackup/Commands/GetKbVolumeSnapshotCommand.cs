using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Cluster.Selectors;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Snapshots;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Lists CSI VolumeSnapshots, oldest first: their claim, state (Ready, Pending, Failed, Deleting), restore size, class and
/// age. Reads the context's namespace unless told otherwise. A plain -Name that matches nothing is SnapshotNotFound.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KbVolumeSnapshot", DefaultParameterSetName = InNamespaces)]
[OutputType(typeof(VolumeSnapshotInfo))]
public sealed class GetKbVolumeSnapshotCommand : SnapshotCmdlet
{
    private const string InNamespaces = "Namespace";
    private const string InAllNamespaces = "AllNamespaces";

    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(VolumeSnapshotNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>The namespaces to read; default: the context's namespace.</summary>
    [Parameter(ParameterSetName = InNamespaces)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Namespace { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = InAllNamespaces)]
    public SwitchParameter AllNamespaces { get; set; }

    /// <summary>A label selector on the snapshots: <c>backup-type=daily</c>, <c>source-pvc in (data-db-0)</c>.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Selector { get; set; }

    /// <summary>Only snapshots of these claims (wildcards).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ClaimNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? SourcePvc { get; set; }

    /// <summary>Only snapshots created longer ago than this (7d, 12h, a TimeSpan).</summary>
    [Parameter]
    [DurationTransformation]
    [ValidatePositiveDuration]
    public TimeSpan OlderThan { get; set; }

    // Nothing comes from the pipeline, so a failure (no snapshot API, a bad selector) ends the command.
    protected override bool ItemFailuresAreTerminating => true;

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        if (Selector is not null)
        {
            LabelSelector.Parse(Selector);
        }
        var (connection, client) = await OpenSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        var namespaces = Namespaces(connection, Namespace, AllNamespaces);
        var all = await client.ListSnapshotsAsync(namespaces, Selector, cancellationToken).ConfigureAwait(false);
        var named = WildcardNames.Select(all, Name, s => s.Name, name => EmitError(ErrorRecords.From(new KbException(
            ErrorIds.SnapshotNotFound, KbErrorCategory.ObjectNotFound, name,
            $"VolumeSnapshot '{name}' does not exist {Where(namespaces)}{(Selector is null ? "" : $" among the snapshots matching '{Selector}'")}."))))
            .ToHashSet();
        var claims = WildcardNames.Patterns(SourcePvc);
        var now = DateTimeOffset.UtcNow;
        var olderThan = MyInvocation.BoundParameters.ContainsKey(nameof(OlderThan)) ? OlderThan : (TimeSpan?)null;
        foreach (var snapshot in all)
        {
            if (named.Contains(snapshot) && WildcardNames.Matches(claims, snapshot.SourcePvc) && (olderThan is null || snapshot.AgeAt(now) > olderThan))
            {
                Emit(snapshot);
            }
        }
    }
}
