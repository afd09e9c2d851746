using System.Text.Json.Nodes;
using KubeApiEmulator;
using KubeBackup.Core.Restore;
using KubeBackup.Core.Tests.Backup;
using KubeBackup.Core.Tests.Cluster.Discovery;

namespace KubeBackup.Core.Tests.Restore;

/// <summary>The backup kit's shop and repository, plus a second, empty emulator to restore into.</summary>
public abstract class RestoreTestKit : BackupTestKit
{
    private EmulatorServer? _target;

    protected EmulatorServer Target => _target!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _target = await EmulatorServer.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        if (_target is not null)
        {
            await _target.DisposeAsync();
        }
        await base.DisposeAsync();
    }

    internal RestoreRunner RestoreRunner(EmulatorServer cluster) => new(ClusterTestKit.Connect(cluster), Sink);

    internal static RestoreRunOptions RestoreNamed(string name) => new() { Name = name, StorageLocation = "test", WaitTimeout = TimeSpan.FromSeconds(5) };

    internal Task<RestoreSummary> RestoreAsync(EmulatorServer cluster, string name, RestoreSpec spec, RestoreRunOptions? options = null, CancellationToken cancellationToken = default) =>
        RestoreRunner(cluster).RunAsync(Repo, spec, options ?? RestoreNamed(name), cancellationToken);

    internal async Task<List<RestoreItemResult>> ItemResultsAsync(string restore) =>
        RestoreRecordJson.ParseItems(restore, (await Repo.GetRestoreFileAsync(restore, RestoreRecordJson.ItemsFile))!);

    internal static JsonObject? Live(EmulatorServer cluster, string apiVersion, string kind, string? ns, string name) =>
        cluster.Cluster.Get(apiVersion, kind, ns, name);
}
