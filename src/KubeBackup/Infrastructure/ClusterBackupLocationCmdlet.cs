using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Cluster;

namespace KubeBackup.Infrastructure;

/// <summary>
/// A cmdlet that reads backups of a storage location (see <see cref="BackupLocationCmdlet"/>) and talks to a cluster:
/// <c>-Kubeconfig</c> and <c>-Context</c> as <see cref="ClusterCmdlet"/> has them, resolved the same way.
/// </summary>
public abstract class ClusterBackupLocationCmdlet : BackupLocationCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    protected ClusterConnection OpenConnection() => ClusterCmdlet.OpenConnection(Kubeconfig, Context, CurrentDirectory);
}
