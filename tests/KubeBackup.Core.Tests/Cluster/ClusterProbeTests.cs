using KubeApiEmulator;
using KubeBackup.Core.Cluster;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;
using KubeBackup.Core.Tests.Cluster.Discovery;

namespace KubeBackup.Core.Tests.Cluster;

/// <summary>The version probe against the in-process emulator: success, progress, and the failures it names.</summary>
public sealed class ClusterProbeTests
{
    [Fact]
    public async Task AReachableServerReportsItsVersionAndProgress()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var connection = ClusterTestKit.Open(emulator.KubeconfigYaml);
        var sink = new RecordingSink();

        var status = await ClusterProbe.ProbeAsync(connection, TimeSpan.FromSeconds(30), sink, CancellationToken.None);

        Assert.True(status.Reachable);
        Assert.StartsWith("v1.", status.KubernetesVersion);
        Assert.Equal(emulator.Url.ToString().TrimEnd('/'), status.Server.TrimEnd('/'));
        Assert.Contains(sink.Progress, p => !p.Completed);
        Assert.True(sink.Progress[^1].Completed);
        Assert.Contains(sink.Verbose, v => v.Contains(connection.ContextName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AStoppedServerIsUnreachable()
    {
        var emulator = await EmulatorServer.StartAsync();
        var kubeconfig = emulator.KubeconfigYaml;
        await emulator.DisposeAsync();
        var connection = ClusterTestKit.Open(kubeconfig);

        var error = await Assert.ThrowsAsync<KbException>(() => ClusterProbe.ProbeAsync(connection, TimeSpan.FromSeconds(30), NullOperationSink.Instance, CancellationToken.None));

        Assert.Equal(ErrorIds.ClusterUnreachable, error.ErrorId);
        Assert.Equal(KbErrorCategory.ConnectionError, error.Category);
    }

    [Fact]
    public async Task CancellationIsNotReportedAsATimeout()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var connection = ClusterTestKit.Open(emulator.KubeconfigYaml);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ClusterProbe.ProbeAsync(connection, TimeSpan.FromSeconds(30), NullOperationSink.Instance, cancelled.Token));
    }

    private sealed class RecordingSink : IOperationSink
    {
        public List<OperationProgress> Progress { get; } = [];

        public List<string> Verbose { get; } = [];

        void IOperationSink.Progress(OperationProgress progress)
        {
            lock (Progress)
            {
                Progress.Add(progress);
            }
        }

        void IOperationSink.Verbose(string message) => Verbose.Add(message);

        void IOperationSink.Warning(string message)
        {
        }
    }
}
