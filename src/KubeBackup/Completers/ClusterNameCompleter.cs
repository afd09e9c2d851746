using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeBackup.Core.Cluster;

namespace KubeBackup.Completers;

/// <summary>
/// Completes names read from the cluster the command would use (its -Kubeconfig and -Context), within a short time so
/// Tab never hangs on an unreachable cluster.
/// </summary>
public abstract class ClusterNameCompleter : IArgumentCompleter
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var connection = ClusterConnection.Open(new ClusterConnectionOptions(fakeBoundParameters["Kubeconfig"] as string, fakeBoundParameters["Context"] as string),
                ClusterEnvironment.FromProcess(), Environment.CurrentDirectory);
            using var timeout = new CancellationTokenSource(Patience);
            var names = Task.Run(() => ReadAsync(connection, timeout.Token), timeout.Token).GetAwaiter().GetResult();
            return CompletionResults.Matching(wordToComplete, names);
        }
        catch (Exception)
        {
            // No cluster, no answer in time: nothing to complete; the command itself will say why.
            return [];
        }
    }

    protected abstract Task<IEnumerable<(string Name, string ToolTip)>> ReadAsync(ClusterConnection connection, CancellationToken cancellationToken);
}

/// <summary>Completes namespace names (-IncludeNamespace, -ExcludeNamespace).</summary>
public sealed class NamespaceCompleter : ClusterNameCompleter
{
    protected override async Task<IEnumerable<(string Name, string ToolTip)>> ReadAsync(ClusterConnection connection, CancellationToken cancellationToken) =>
        (await ClusterNames.NamespacesAsync(connection, cancellationToken).ConfigureAwait(false)).Select(n => (n, n));
}

/// <summary>Completes resource type names as filters take them (-IncludeResource, -ExcludeResource).</summary>
public sealed class ResourceTypeCompleter : ClusterNameCompleter
{
    protected override async Task<IEnumerable<(string Name, string ToolTip)>> ReadAsync(ClusterConnection connection, CancellationToken cancellationToken) =>
        (await ClusterNames.ResourceTypesAsync(connection, cancellationToken).ConfigureAwait(false)).Select(t => (t.Name, t.Kind));
}
