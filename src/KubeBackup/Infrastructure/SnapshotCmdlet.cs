using KubeBackup.Core.Cluster;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Snapshots;

namespace KubeBackup.Infrastructure;

/// <summary>
/// A cmdlet that works on a cluster's VolumeSnapshots: one connection and snapshot client per command, and the
/// cluster's snapshot API checked once, so a cluster without the CSI snapshot CRDs is one SnapshotApiMissing error.
/// </summary>
public abstract class SnapshotCmdlet : ClusterCmdlet, IDisposable
{
    // A class, not a tuple: a value-type field over Core types would make PowerShell load Core while it lists the
    // module's types, before the module's load context exists (docs/development.md).
    private Opened? _opened;

    /// <summary>The connection and client for the current -Kubeconfig/-Context (pipeline input may change them).</summary>
    /// <exception cref="KbException"><see cref="ErrorIds.SnapshotApiMissing"/> and the connection's own errors.</exception>
    protected async Task<(ClusterConnection Connection, VolumeSnapshotClient Client)> OpenSnapshotsAsync(CancellationToken cancellationToken)
    {
        if (_opened is { } opened && opened.Kubeconfig == Kubeconfig && opened.Context == Context)
        {
            return (opened.Connection, opened.Client);
        }
        _opened?.Client.Dispose();
        _opened = null;
        var connection = OpenConnection();
        var client = new VolumeSnapshotClient(connection);
        try
        {
            await client.EnsureSnapshotApiAsync(connection.ContextName, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        _opened = new Opened(Kubeconfig, Context, connection, client);
        return (connection, client);
    }

    /// <summary>The namespaces to read: those given, or the context's namespace; null for every namespace.</summary>
    protected static IReadOnlyList<string>? Namespaces(ClusterConnection connection, string[]? given, bool all) =>
        all ? null : given is { Length: > 0 } ? given : [connection.Namespace];

    protected static string Where(IReadOnlyList<string>? namespaces) =>
        namespaces is null ? "in any namespace" : namespaces.Count == 1 ? $"in namespace '{namespaces[0]}'" : $"in namespaces {string.Join(", ", namespaces.Select(n => $"'{n}'"))}";

    private sealed record Opened(string? Kubeconfig, string? Context, ClusterConnection Connection, VolumeSnapshotClient Client);

    public new void Dispose()
    {
        _opened?.Client.Dispose();
        _opened = null;
        base.Dispose();
    }
}
