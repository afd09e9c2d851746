using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Cluster.Selectors;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;
using KubeBackup.Core.Snapshots;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Deletes the snapshots past a retention (the seed's "delete daily snapshots older than 7 days", and/or the newest N
/// per claim kept), among those the selector selects (default: every snapshot carrying the <c>backup-type</c> label);
/// no other snapshot is read or touched. Writes one record per selected snapshot: Deleted, Kept, WouldDelete (-WhatIf),
/// Skipped (declined at -Confirm) or Failed, with the reason.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KbExpiredSnapshot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = InNamespaces)]
[OutputType(typeof(SnapshotRetentionResult))]
public sealed class RemoveKbExpiredSnapshotCommand : SnapshotCmdlet
{
    private const string InNamespaces = "Namespace";
    private const string InAllNamespaces = "AllNamespaces";
    private const int ProgressId = 42;

    /// <summary>Snapshots created longer ago than this are expired (7d, 12h, a TimeSpan).</summary>
    // Not [ValidatePositiveDuration]: every invalid retention is the one SnapshotRetentionInvalid error.
    [Parameter]
    [DurationTransformation]
    public TimeSpan OlderThan { get; set; }

    /// <summary>The newest N ready snapshots of each claim are kept (with -OlderThan: kept even when older).</summary>
    [Parameter]
    public int KeepLast { get; set; }

    /// <summary>The namespaces to clean; default: the context's namespace.</summary>
    [Parameter(ParameterSetName = InNamespaces)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Namespace { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = InAllNamespaces)]
    public SwitchParameter AllNamespaces { get; set; }

    /// <summary>Which snapshots retention applies to; default <c>backup-type</c>: those carrying the label.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Selector { get; set; } = SnapshotLabels.BackupType;

    /// <summary>Deletes without asking for confirmation (-WhatIf still only shows what would happen).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool ItemFailuresAreTerminating => true;

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var bound = MyInvocation.BoundParameters;
        var olderThan = bound.ContainsKey(nameof(OlderThan)) ? OlderThan : (TimeSpan?)null;
        var keepLast = bound.ContainsKey(nameof(KeepLast)) ? KeepLast : (int?)null;
        SnapshotRetention.Validate(olderThan, keepLast);
        LabelSelector.Parse(Selector);

        var (connection, client) = await OpenSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        var namespaces = Namespaces(connection, Namespace, AllNamespaces);
        var snapshots = await client.ListSnapshotsAsync(namespaces, Selector, cancellationToken).ConfigureAwait(false);
        var decisions = SnapshotRetention.Decide(snapshots, olderThan, keepLast, DateTimeOffset.UtcNow);
        var expired = decisions.Count(d => d.Action == SnapshotRetentionAction.Delete);
        EmitVerbose($"{snapshots.Count} snapshot(s) matching '{Selector}' {Where(namespaces)} of cluster '{connection.ContextName}'; {expired} expired.");

        var remover = new SnapshotRemover(client);
        var done = 0;
        foreach (var decision in decisions)
        {
            if (decision.Action == SnapshotRetentionAction.Keep)
            {
                Emit(SnapshotRetentionResult.From(decision, SnapshotRetentionOutcome.Kept));
                continue;
            }
            Sink.Progress(new OperationProgress(ProgressId, "Removing expired snapshots", $"{done} of {expired}", 100 * done / expired, $"{decision.Namespace}/{decision.Name}"));
            done++;
            var (proceed, whatIf) = await ShouldProceedOrPreviewAsync($"{decision.Namespace}/{decision.Name}", $"Delete VolumeSnapshot ({decision.Reason})", Force).ConfigureAwait(false);
            if (!proceed)
            {
                Emit(SnapshotRetentionResult.From(decision, whatIf ? SnapshotRetentionOutcome.WouldDelete : SnapshotRetentionOutcome.Skipped,
                    whatIf ? null : $"{decision.Reason}; declined at the confirmation prompt"));
                continue;
            }
            try
            {
                var removal = await remover.RemoveAsync(decision.Snapshot, cancellationToken).ConfigureAwait(false);
                Emit(SnapshotRetentionResult.From(decision, SnapshotRetentionOutcome.Deleted,
                    removal.Deleted ? null : $"{decision.Reason}; it was gone already"));
            }
            catch (KbException e)
            {
                EmitError(e);
                Emit(SnapshotRetentionResult.From(decision, SnapshotRetentionOutcome.Failed, $"{decision.Reason}; the delete failed: {e.Message}"));
            }
        }
        if (expired > 0)
        {
            Sink.Progress(OperationProgress.Done(ProgressId, "Removing expired snapshots"));
        }
    }
}
