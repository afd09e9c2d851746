using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeBackup.Core.Cluster;

namespace KubeBackup.Completers;

/// <summary>Completes -Context from the contexts of the kubeconfig the command would use.</summary>
public sealed class ContextNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var kubeconfig = fakeBoundParameters["Kubeconfig"] as string;
        IReadOnlyList<KubeContextInfo> contexts;
        try
        {
            contexts = ClusterConnection.ListContexts(kubeconfig, ClusterEnvironment.FromProcess(), Environment.CurrentDirectory);
        }
        catch (Exception)
        {
            // A broken or missing kubeconfig completes nothing; the command itself will say why.
            return [];
        }
        return CompletionResults.Matching(wordToComplete, contexts.Select(c => (c.Name, $"{c.Cluster} ({c.Server})")));
    }
}
