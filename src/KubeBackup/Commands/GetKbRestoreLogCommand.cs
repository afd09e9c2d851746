using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Restore;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>Reads a restore's log (start and end, waits for CRDs and namespaces, warnings and failures, in order) as objects; per-item results are Get-KbRestoreItem's.</summary>
[Cmdlet(VerbsCommon.Get, "KbRestoreLog")]
[OutputType(typeof(BackupLogEntry))]
public sealed class GetKbRestoreLogCommand : BackupLocationCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Restore", "RestoreName")]
    [ArgumentCompleter(typeof(RestoreNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>Only entries of these levels.</summary>
    [Parameter]
    [ValidateSet("Info", "Warning", "Error", IgnoreCase = true)]
    public string[]? Level { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var log = await ReadRestoreAsync(Name, RestoreRecords.GetLogAsync, cancellationToken).ConfigureAwait(false);
        foreach (var entry in log)
        {
            if (Level is null || Level.Contains(entry.Level.ToString(), StringComparer.OrdinalIgnoreCase))
            {
                Emit(entry);
            }
        }
    }
}
