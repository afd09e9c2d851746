using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Snapshots;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Deletes VolumeSnapshots by name, from the pipeline (<c>Get-KbVolumeSnapshot | Remove-KbVolumeSnapshot</c>) or the
/// command line. A content a KubeBackup backup retained is released with its snapshot, so the storage system's snapshot
/// goes too; contents retained by anything else stay. A name that does not exist is SnapshotNotFound, and the next goes on.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KbVolumeSnapshot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(VolumeSnapshotInfo))]
public sealed class RemoveKbVolumeSnapshotCommand : SnapshotCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VolumeSnapshotNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>The snapshots' namespace; default: the context's namespace. Bound from Get-KbVolumeSnapshot's output.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary>Deletes without asking for confirmation (-WhatIf still only shows what would happen).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes each deleted snapshot (as it was before the delete) to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    // A cluster without the snapshot API ends the command at once rather than failing every name.
    protected override async Task BeginProcessingAsync(CancellationToken cancellationToken) =>
        await OpenSnapshotsAsync(cancellationToken).ConfigureAwait(false);

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var (connection, client) = await OpenSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        var ns = Namespace ?? connection.Namespace;
        var remover = new SnapshotRemover(client);
        foreach (var name in Name.Distinct(StringComparer.Ordinal))
        {
            VolumeSnapshotInfo snapshot;
            try
            {
                snapshot = await remover.GetAsync(ns, name, cancellationToken).ConfigureAwait(false);
            }
            catch (KbException e)
            {
                EmitError(e);
                continue;
            }
            var what = $"{snapshot.State}{(snapshot.SourcePvc is null ? "" : $", of claim {snapshot.SourcePvc}")}, created {snapshot.Created:u}";
            if (!await ShouldProceedAsync($"{ns}/{name}", $"Delete VolumeSnapshot ({what})", Force).ConfigureAwait(false))
            {
                continue;
            }
            SnapshotRemoval removal;
            try
            {
                removal = await remover.RemoveAsync(snapshot, cancellationToken).ConfigureAwait(false);
            }
            catch (KbException e)
            {
                EmitError(e);
                continue;
            }
            EmitVerbose(removal.ReleasedContent is { } content
                ? $"Deleted VolumeSnapshot {ns}/{name}; the VolumeSnapshotContent {content} a backup retained goes with it (its deletion policy is now Delete)."
                : $"Deleted VolumeSnapshot {ns}/{name}.");
            if (PassThru)
            {
                Emit(snapshot);
            }
        }
    }
}
