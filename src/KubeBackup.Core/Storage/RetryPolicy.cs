namespace KubeBackup.Core.Storage;

/// <summary>
/// Exponential backoff with full jitter for transient storage failures (5xx, throttling, dropped or refused
/// connections). The S3 provider runs every request through it with the SDK's own retries switched off, so one
/// policy, visible in tests, decides; the Azure provider hands the same numbers to the Azure SDK's retry options.
/// </summary>
public sealed record RetryPolicy
{
    public static RetryPolicy Default { get; } = new();

    /// <summary>Attempts in all, the first one included.</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest one request may take before it counts as a (retryable) timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based): random in [0, min(max, base * 2^(retry-1))].</summary>
    public TimeSpan DelayBefore(int retry)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30)));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    /// <summary>
    /// Runs <paramref name="action"/> until it succeeds, fails with an error <paramref name="isTransient"/> rejects,
    /// or runs out of attempts; the last error is rethrown as it was. Cancellation stops the waiting at once.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> action, Func<Exception, CancellationToken, bool> isTransient, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < MaxAttempts && !cancellationToken.IsCancellationRequested && isTransient(e, cancellationToken))
            {
                await Task.Delay(DelayBefore(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
