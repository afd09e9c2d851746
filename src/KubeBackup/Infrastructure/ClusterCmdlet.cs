using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Cluster;

namespace KubeBackup.Infrastructure;

/// <summary>
/// A cmdlet that talks to a cluster: <c>-Kubeconfig</c> (a path, several paths, or the kubeconfig text)
/// and <c>-Context</c>, resolved as kubectl resolves them, falling back to the pod's service account.
/// </summary>
public abstract class ClusterCmdlet : AsyncCmdlet
{
    /// <summary>Overridden by cmdlets whose -Context takes a position or pipeline input.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    [ValidateNotNullOrEmpty]
    public virtual string? Context { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    protected ClusterConnection OpenConnection() => OpenConnection(Kubeconfig, Context, CurrentDirectory);

    /// <summary>The one way cmdlets resolve -Kubeconfig and -Context, shared with <see cref="ClusterBackupLocationCmdlet"/>.</summary>
    internal static ClusterConnection OpenConnection(string? kubeconfig, string? context, string currentDirectory) =>
        ClusterConnection.Open(new ClusterConnectionOptions(kubeconfig, context), ClusterEnvironment.FromProcess(), currentDirectory);
}
