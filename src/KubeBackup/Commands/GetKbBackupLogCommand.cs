using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Backup;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>Reads a backup's log (what was backed up, skipped, warned about and failed, in order) as objects.</summary>
[Cmdlet(VerbsCommon.Get, "KbBackupLog")]
[OutputType(typeof(BackupLogEntry))]
public sealed class GetKbBackupLogCommand : BackupLocationCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Backup")]
    [ArgumentCompleter(typeof(BackupNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>Only entries of these levels.</summary>
    [Parameter]
    [ValidateSet("Info", "Warning", "Error", IgnoreCase = true)]
    public string[]? Level { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var location = ResolveLocation();
        var opened = await OpenRepositoryAsync(location, cancellationToken).ConfigureAwait(false) ?? throw BackupNotFound(Name, location);
        var log = await opened.Repository.ReadBackupLogAsync(Name, cancellationToken).ConfigureAwait(false);
        foreach (var entry in BackupLogEntry.ParseLog(log))
        {
            if (Level is null || Level.Contains(entry.Level.ToString(), StringComparer.OrdinalIgnoreCase))
            {
                Emit(entry);
            }
        }
    }
}
