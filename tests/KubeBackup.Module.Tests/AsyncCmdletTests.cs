using System.Diagnostics;
using System.Management.Automation;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests;

/// <summary>The async cmdlet base: progress reaches the pipeline thread, Ctrl+C cancels the work.</summary>
[Collection(ModuleCollection.Name)]
public sealed class AsyncCmdletTests : IDisposable
{
    private readonly ModuleFixture _fixture;
    private readonly PowerShellSession _session = PowerShellSession.Start();

    public AsyncCmdletTests(ModuleFixture fixture)
    {
        _fixture = fixture;
    }

    public void Dispose() => _session.Dispose();

    [Fact]
    public void ProgressIsWrittenAndCompleted()
    {
        var result = _session.Invoke("Test-KbConnection -Kubeconfig $args[0]", _fixture.Emulator.KubeconfigPath).ThrowIfErrors();
        var progress = result.Progress;
        Assert.Contains(progress, p => p.RecordType == ProgressRecordType.Processing && p.Activity.Contains("emulator"));
        var activity = progress.First().ActivityId;
        Assert.Equal(ProgressRecordType.Completed, progress.Last(p => p.ActivityId == activity).RecordType);
    }

    [Fact]
    public void StoppingThePipelineCancelsTheWork()
    {
        using var hung = new BlackHoleServer();
        var kubeconfig = KubeconfigFiles.For(hung.Url, "hung");
        using var progressSeen = new ManualResetEventSlim();
        using var ps = _session.BeginInvoke("Test-KbConnection -Kubeconfig $args[0] -Timeout 10m", out var pending, kubeconfig);
        ps.Streams.Progress.DataAdded += (_, _) => progressSeen.Set();

        Assert.True(progressSeen.Wait(TimeSpan.FromSeconds(30)), "The cmdlet never reported progress.");
        Assert.False(pending.IsCompleted);
        var watch = Stopwatch.StartNew();
        ps.Stop();

        // A 10-minute timeout that ends at once: the token reached the request in flight.
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1), $"Stop took {watch.Elapsed}.");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(pending));
    }

    [Fact]
    public void TheRunspaceIsUsableAfterAStop()
    {
        using var hung = new BlackHoleServer();
        using (var ps = _session.BeginInvoke("Test-KbConnection -Kubeconfig $args[0] -Timeout 10m", out _, KubeconfigFiles.For(hung.Url, "hung")))
        {
            Thread.Sleep(200);
            ps.Stop();
        }
        var result = _session.Invoke("Test-KbConnection -Kubeconfig $args[0] -Quiet", _fixture.Emulator.KubeconfigPath).ThrowIfErrors();
        Assert.Equal(true, result.Output.Single().BaseObject);
    }
}
