namespace KubeBackup.Core.Cluster.Listing;

/// <summary>
/// Bounded retries with exponential backoff and full jitter; a server's Retry-After wins when it is longer,
/// capped so a misbehaving server cannot stall a backup.
/// </summary>
public sealed record RetryPolicy
{
    public static readonly RetryPolicy Default = new();

    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetries { get; init; } = 5;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based).</summary>
    public TimeSpan DelayFor(int retry, TimeSpan? retryAfter)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, retry - 1));
        // Half fixed, half random: spreads concurrent listers apart without ever retrying at once.
        var backoff = TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
        if (retryAfter is { } after && after > backoff)
        {
            return after < MaxRetryAfter ? after : MaxRetryAfter;
        }

        return backoff;
    }
}
