using KubeBackup.Core.Cluster.Listing;

namespace KubeBackup.Core.Tests.Cluster.Listing;

/// <summary>The backoff: exponential, jittered, capped; Retry-After wins when longer, within its own cap.</summary>
public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy Policy = new() { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), MaxRetryAfter = TimeSpan.FromSeconds(5) };

    [Theory]
    [InlineData(1, 50, 100)]
    [InlineData(2, 100, 200)]
    [InlineData(3, 200, 400)]
    [InlineData(10, 500, 1000)]
    public void BacksOffExponentiallyWithJitterUpToTheCap(int retry, int lowMs, int highMs)
    {
        var delays = Enumerable.Range(0, 200).Select(_ => Policy.DelayFor(retry, null).TotalMilliseconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, lowMs, highMs));
        Assert.True(delays.Distinct().Count() > 10, "no jitter");
    }

    [Fact]
    public void RetryAfterWinsWhenLongerAndIsCapped()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), Policy.DelayFor(1, TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromSeconds(5), Policy.DelayFor(1, TimeSpan.FromMinutes(10)));
        Assert.InRange(Policy.DelayFor(3, TimeSpan.FromMilliseconds(1)).TotalMilliseconds, 200, 400);
    }
}
