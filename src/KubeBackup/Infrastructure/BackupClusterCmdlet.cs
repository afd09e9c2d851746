using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Cluster;

namespace KubeBackup.Infrastructure;

/// <summary>
/// A cmdlet that reads backups of a storage location and talks to a cluster: the location parameters of
/// <see cref="BackupLocationCmdlet"/> plus <c>-Context</c> and <c>-Kubeconfig</c>, resolved as <see cref="ClusterCmdlet"/>
/// resolves them. Not bound from the pipeline: a backup's properties name where it came from, not where it goes.
/// </summary>
public abstract class BackupClusterCmdlet : BackupLocationCmdlet
{
    [Parameter]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    protected ClusterConnection OpenConnection() =>
        ClusterConnection.Open(new ClusterConnectionOptions(Kubeconfig, Context), ClusterEnvironment.FromProcess(), CurrentDirectory);
}
