using System.Text;
using KubeApiEmulator;
using KubeApiEmulator.Exec;
using KubeBackup.Core.Cluster.Exec;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Tests.Cluster.Discovery;

namespace KubeBackup.Core.Tests.Cluster.Exec;

/// <summary>Exec into a pod's container over the real client and the emulator's WebSocket endpoint.</summary>
public sealed class PodExecTests : IAsyncLifetime
{
    private EmulatorServer emulator = null!;
    private PodExec exec = null!;

    public async Task InitializeAsync()
    {
        emulator = await EmulatorServer.StartAsync();
        exec = new PodExec(ClusterTestKit.Connect(emulator));
        await TestPods.RunAsync(emulator, TestPods.Pod("data", "db-0", ["db", "sidecar"]));
    }

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    [Fact]
    public async Task ReturnsExitCodeStdoutAndStderrOfTheCommandInTheContainer()
    {
        ExecRequest? seen = null;
        emulator.Exec.Register("data", "db-0", "sidecar", async (request, ct) =>
        {
            seen = request;
            await request.Stdout.WriteAsync("out\n"u8.ToArray(), ct);
            await request.Stderr.WriteAsync("err\n"u8.ToArray(), ct);
            return 0;
        });

        var result = await exec.RunAsync("data", "db-0", "sidecar", ["/bin/sh", "-c", "echo $X"], TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.True(result.Succeeded);
        Assert.Equal("out\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
        Assert.False(result.OutputTruncated);
        Assert.Equal(["/bin/sh", "-c", "echo $X"], seen!.Command);
        Assert.Equal("sidecar", seen.Container);
        Assert.Null(seen.Stdin);
        Assert.False(seen.Tty);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(255)]
    public async Task ReturnsANonZeroExitCode(int code)
    {
        emulator.Exec.Register("data", "db-0", ExecHandlers.Scripted("", "line 1\nline 2\n\n  last  \n", code));

        var result = await exec.RunAsync("data", "db-0", "db", ["false"], TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal(code, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Equal(["line 2", "last"], result.LastStderrLines(2));
    }

    [Fact]
    public async Task KeepsOnlyTheEndOfLongOutputButCopiesAllOfStdoutWhenAsked()
    {
        var big = new StringBuilder();
        for (var i = 0; i < 20000; i++)
        {
            big.Append(i).Append('\n');
        }

        emulator.Exec.Register("data", "db-0", ExecHandlers.Scripted(big.ToString()));
        using var copy = new MemoryStream();

        var result = await exec.RunAsync("data", "db-0", null, ["dump"], TimeSpan.FromSeconds(20), copy, CancellationToken.None);

        Assert.Equal(big.ToString(), Encoding.UTF8.GetString(copy.ToArray()));
        Assert.True(result.OutputTruncated);
        Assert.Equal(PodExec.CapturedBytes, result.Stdout.Length);
        Assert.EndsWith("19998\n19999\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimesOutAndClosesTheSession()
    {
        var handlerCancelled = new TaskCompletionSource();
        emulator.Exec.Register("data", "db-0", async (_, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                handlerCancelled.TrySetResult();
            }

            return 0;
        });

        var error = await Assert.ThrowsAsync<KbException>(() =>
            exec.RunAsync("data", "db-0", "db", ["sleep", "1000"], TimeSpan.FromMilliseconds(500), CancellationToken.None));

        Assert.Equal(ErrorIds.PodExecTimedOut, error.ErrorId);
        Assert.Equal(KbErrorCategory.OperationTimeout, error.Category);
        Assert.Contains("timed out after 500ms", error.Message, StringComparison.Ordinal);

        // The server saw the client go, so its side of the command was told to stop.
        await handlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task TheTimeoutAlsoCoversAServerThatNeverAnswersTheUpgrade()
    {
        emulator.Hooks.Exec = (context, _, _, _) => Task.Delay(Timeout.Infinite, context.RequestAborted);

        var error = await Assert.ThrowsAsync<KbException>(() =>
            exec.RunAsync("data", "db-0", "db", ["true"], TimeSpan.FromMilliseconds(500), CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ErrorIds.PodExecTimedOut, error.ErrorId);
    }

    [Fact]
    public async Task CancellationThrowsOperationCanceled()
    {
        var started = new TaskCompletionSource();
        emulator.Exec.Register("data", "db-0", async (_, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        });
        using var cancellation = new CancellationTokenSource();

        var running = exec.RunAsync("data", "db-0", "db", ["sleep", "1000"], TimeSpan.FromSeconds(30), cancellation.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
    }

    [Fact]
    public async Task ACommandTheContainerCannotRunFailsWithTheServersReason()
    {
        // No handler: the emulator answers as containerd does for a missing executable.
        var error = await Assert.ThrowsAsync<KbException>(() =>
            exec.RunAsync("data", "db-0", "db", ["/no/such/tool"], TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.Equal(ErrorIds.PodExecFailed, error.ErrorId);
        Assert.Contains("executable file not found", error.Message, StringComparison.Ordinal);
        Assert.Equal("data/db-0 (container db)", error.Target);
    }

    [Fact]
    public async Task AMissingPodFails()
    {
        var error = await Assert.ThrowsAsync<KbException>(() =>
            exec.RunAsync("data", "gone-0", "db", ["true"], TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.Equal(ErrorIds.PodExecFailed, error.ErrorId);
        Assert.Contains("gone-0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusesAnEmptyCommandAndANonPositiveTimeout()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => exec.RunAsync("data", "db-0", null, [], TimeSpan.FromSeconds(1), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => exec.RunAsync("data", "db-0", null, ["true"], TimeSpan.Zero, CancellationToken.None));
    }

    [Theory]
    [InlineData(500, "500ms")]
    [InlineData(30_000, "30s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h")]
    public void DescribesDurationsAsHookSpecsWriteThem(int milliseconds, string text) =>
        Assert.Equal(text, PodExec.Describe(TimeSpan.FromMilliseconds(milliseconds)));
}
