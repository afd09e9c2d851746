using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Cluster;
using KubeBackup.Core.Errors;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>Lists the contexts of the kubeconfig KubeBackup would use, or of the one given.</summary>
[Cmdlet(VerbsCommon.Get, "KbContext")]
[OutputType(typeof(KubeContextInfo))]
public sealed class GetKbContextCommand : AsyncCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ContextNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var contexts = ClusterConnection.ListContexts(Kubeconfig, ClusterEnvironment.FromProcess(), CurrentDirectory);
        var source = contexts.Count > 0 ? contexts[0].Source : "the kubeconfig";
        var selected = WildcardNames.Select(contexts, Name, c => c.Name, name => EmitError(new KbException(ErrorIds.ContextNotFound, KbErrorCategory.ObjectNotFound, name,
            $"Context '{name}' was not found in {source}. Available contexts: {string.Join(", ", contexts.Select(c => $"'{c.Name}'"))}.")));
        foreach (var context in selected)
        {
            Emit(context);
        }
        return Task.CompletedTask;
    }
}
