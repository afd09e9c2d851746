using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KubeBackup.Core.Cluster;

namespace KubeBackup.Completers;

/// <summary>
/// Completes names read from the cluster the command would use (its -Kubeconfig and -Context, or -DrContext), within
/// a short time so Tab never hangs on an unreachable cluster.
/// </summary>
public abstract class ClusterNameCompleter : IArgumentCompleter
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var connection = ClusterConnection.Open(new ClusterConnectionOptions(fakeBoundParameters["Kubeconfig"] as string, (fakeBoundParameters["Context"] ?? fakeBoundParameters["DrContext"]) as string),
                ClusterEnvironment.FromProcess(), Environment.CurrentDirectory);
            using var timeout = new CancellationTokenSource(Patience);
            var names = Task.Run(() => ReadAsync(connection, fakeBoundParameters, timeout.Token), timeout.Token).GetAwaiter().GetResult();
            return CompletionResults.Matching(wordToComplete, names);
        }
        catch (Exception)
        {
            // No cluster, no answer in time: nothing to complete; the command itself will say why.
            return [];
        }
    }

    protected abstract Task<IEnumerable<(string Name, string ToolTip)>> ReadAsync(ClusterConnection connection, CancellationToken cancellationToken);

    /// <summary>For completers whose names depend on other parameters already typed (-Namespace, -AllNamespaces).</summary>
    protected virtual Task<IEnumerable<(string Name, string ToolTip)>> ReadAsync(ClusterConnection connection, IDictionary boundParameters, CancellationToken cancellationToken) =>
        ReadAsync(connection, cancellationToken);

    /// <summary>The namespaces typed so far: null with -AllNamespaces, else -Namespace, else the context's.</summary>
    protected static IReadOnlyList<string>? TypedNamespaces(ClusterConnection connection, IDictionary boundParameters) =>
        boundParameters["AllNamespaces"] is SwitchParameter { IsPresent: true } or true ? null
        : boundParameters["Namespace"] switch
        {
            string one => [one],
            IEnumerable many => [.. many.Cast<object?>().Select(n => n?.ToString()).OfType<string>()],
            _ => [connection.Namespace],
        };
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

/// <summary>Completes VolumeSnapshot names in the namespaces typed (-Name of Get-/Remove-KbVolumeSnapshot).</summary>
public sealed class VolumeSnapshotNameCompleter : ClusterNameCompleter
{
    protected override Task<IEnumerable<(string Name, string ToolTip)>> ReadAsync(ClusterConnection connection, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Snapshot names depend on the namespace typed.");

    protected override async Task<IEnumerable<(string Name, string ToolTip)>> ReadAsync(ClusterConnection connection, IDictionary boundParameters, CancellationToken cancellationToken)
    {
        using var client = new Core.Snapshots.VolumeSnapshotClient(connection);
        var snapshots = await client.ListSnapshotsAsync(TypedNamespaces(connection, boundParameters), null, cancellationToken).ConfigureAwait(false);
        // One entry per name: with -AllNamespaces the same name in several namespaces completes to the same text.
        return snapshots.DistinctBy(s => s.Name).Select(s => (s.Name, $"{s.Namespace}/{s.Name}: {s.State}, of {s.SourcePvc ?? "?"}"));
    }
}

/// <summary>Completes PersistentVolumeClaim names in the namespaces typed (-PersistentVolumeClaim, -SourcePvc).</summary>
public sealed class ClaimNameCompleter : ClusterNameCompleter
{
    protected override Task<IEnumerable<(string Name, string ToolTip)>> ReadAsync(ClusterConnection connection, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Claim names depend on the namespace typed.");

    protected override async Task<IEnumerable<(string Name, string ToolTip)>> ReadAsync(ClusterConnection connection, IDictionary boundParameters, CancellationToken cancellationToken)
    {
        using var client = new Core.Snapshots.VolumeSnapshotClient(connection);
        var claims = await client.ListClaimsAsync(TypedNamespaces(connection, boundParameters), null, cancellationToken).ConfigureAwait(false);
        return claims.DistinctBy(c => c.Name).Select(c => (c.Name, $"{c.Namespace}/{c.Name} ({c.Phase}, {c.StorageClass})"));
    }
}
