using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Storage;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Deletes backups by name (or those past their expiration with -Expired), asking for each, then prunes each location
/// once: packs that no remaining backup references are deleted (those younger than the grace period stay, in case a
/// backup that still runs uses them). Names from the pipeline are collected first, so the prune runs once at the end.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KbBackup", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ByName)]
[OutputType(typeof(BackupSummary))]
public sealed class RemoveKbBackupCommand : BackupLocationCmdlet
{
    private const string ByName = "Name";
    private const string ByExpiration = "Expired";


    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
    [ArgumentCompleter(typeof(BackupNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Removes every backup whose expiration time (its start plus its TTL) has passed.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByExpiration)]
    public SwitchParameter Expired { get; set; }

    /// <summary>Removes without asking for confirmation (-WhatIf still only shows what would happen).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Writes each removed backup to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        CollectRequest(Expired ? null : Name);
        return Task.CompletedTask;
    }

    protected override Task EndOfInputAsync(CancellationToken cancellationToken) => ForEachRequestAsync(RemoveAsync, cancellationToken);

    private async Task RemoveAsync(StorageLocation location, List<string>? names, CancellationToken cancellationToken)
    {
        var opened = await OpenRepositoryAsync(location, cancellationToken).ConfigureAwait(false);
        var backups = await SelectBackupsAsync(location, opened, names, cancellationToken).ConfigureAwait(false);
        if (names is null)
        {
            var now = DateTimeOffset.UtcNow;
            backups = backups.Where(b => b.IsExpired(now)).ToList();
            EmitVerbose($"{backups.Count} backup(s) in storage location '{location.Name}' expired by {now:u}.");
        }
        if (opened is null)
        {
            return;
        }
        var removed = 0;
        foreach (var backup in backups)
        {
            var action = backup.IsExpired(DateTimeOffset.UtcNow) ? $"Delete backup (expired {backup.Expires:u})" : $"Delete backup (taken {backup.Started:u}, expires {backup.Expires:u})";
            if (!await ShouldProceedAsync($"{backup.Name} ({location.Name})", action, Force).ConfigureAwait(false))
            {
                continue;
            }
            try
            {
                await opened.Repository.DeleteBackupAsync(backup.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (KbException e)
            {
                EmitError(e);
                continue;
            }
            removed++;
            EmitVerbose($"Removed backup '{backup.Name}' from storage location '{location.Name}'.");
            if (PassThru)
            {
                Emit(backup);
            }
        }
        if (removed > 0)
        {
            // Prune reports what it freed and kept in its own verbose message.
            await opened.Repository.PruneAsync(new PruneOptions(), cancellationToken).ConfigureAwait(false);
        }
    }
}
