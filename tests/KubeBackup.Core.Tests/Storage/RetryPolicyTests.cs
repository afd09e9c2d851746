using KubeBackup.Core.Storage;

namespace KubeBackup.Core.Tests.Storage;

public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new() { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(25) };

    [Fact]
    public void DelaysGrowExponentiallyWithJitterUpToTheCap()
    {
        for (var i = 0; i < 200; i++)
        {
            Assert.InRange(Policy.DelayBefore(1).TotalMilliseconds, 0, 10);
            Assert.InRange(Policy.DelayBefore(2).TotalMilliseconds, 0, 20);
            Assert.InRange(Policy.DelayBefore(10).TotalMilliseconds, 0, 25);
        }
        Assert.True(Enumerable.Range(0, 200).Select(_ => Policy.DelayBefore(3)).Distinct().Count() > 1, "no jitter");
    }

    [Fact]
    public async Task TransientFailuresAreRetriedUntilTheAttemptsRunOut()
    {
        var calls = 0;
        await Assert.ThrowsAsync<IOException>(() => Policy.ExecuteAsync<int>(_ => { calls++; throw new IOException("reset"); }, (_, _) => true, default));
        Assert.Equal(4, calls);

        calls = 0;
        Assert.Equal(7, await Policy.ExecuteAsync(_ => ++calls < 3 ? throw new IOException("reset") : Task.FromResult(7), (_, _) => true, default));
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task PermanentFailuresAreNotRetried()
    {
        var calls = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() => Policy.ExecuteAsync<int>(_ => { calls++; throw new InvalidOperationException(); }, (e, _) => e is IOException, default));
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task CancellationEndsTheWait()
    {
        var slow = Policy with { MaxAttempts = 10, BaseDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromSeconds(30) };
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var started = DateTime.UtcNow;
        await Assert.ThrowsAnyAsync<Exception>(() => slow.ExecuteAsync<int>(_ => throw new IOException("reset"), (_, _) => true, cancel.Token));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }
}
