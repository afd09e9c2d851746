using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Reads back every blob the chosen backups reference and checks its hash (and authentication tag when encrypted): the
/// proof that a backup can be restored. Backups from the pipeline are collected and checked together per location, so a
/// blob several of them share is read once. One result per backup; a damaged backup is also a BackupDamaged error and
/// each damaged item a warning.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KbBackup")]
[OutputType(typeof(BackupVerification))]
public sealed class TestKbBackupCommand : BackupLocationCmdlet
{

    /// <summary>The backups to check (wildcards); every backup of the location when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(BackupNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        CollectRequest(Name);
        return Task.CompletedTask;
    }

    protected override Task EndOfInputAsync(CancellationToken cancellationToken) => ForEachRequestAsync(VerifyAsync, cancellationToken);

    private async Task VerifyAsync(StorageLocation location, List<string>? names, CancellationToken cancellationToken)
    {
        var opened = await OpenRepositoryAsync(location, cancellationToken).ConfigureAwait(false);
        var backups = await SelectBackupsAsync(location, opened, names, cancellationToken).ConfigureAwait(false);
        if (opened is null || backups.Count == 0)
        {
            return;
        }
        EmitVerbose($"Checking {backups.Count} backup(s) in storage location '{location.Name}'.");
        var result = await opened.Repository.VerifyAsync(backups.Select(b => b.Name).ToList(), cancellationToken).ConfigureAwait(false);
        EmitVerbose($"Checked {result.BlobsChecked} blobs ({result.BytesChecked} bytes); {result.Damaged.Count} damaged item(s).");
        foreach (var verification in BackupVerification.FromResult(result, backups, DateTimeOffset.Now))
        {
            Emit(verification);
            if (!verification.Healthy)
            {
                EmitError(new KbException(ErrorIds.BackupDamaged, KbErrorCategory.InvalidData, verification.Name,
                    $"Backup '{verification.Name}' in storage location '{location.Name}' is damaged: {verification.Damaged.Count} damaged item(s), first {verification.Damaged[0]}. A restore of it would fail for those items."));
            }
        }
    }
}
