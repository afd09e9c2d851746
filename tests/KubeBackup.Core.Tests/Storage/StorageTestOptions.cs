using KubeBackup.Core.Storage;

namespace KubeBackup.Core.Tests.Storage;

/// <summary>Factory options for tests: short retries, and an environment of their own instead of the machine's.</summary>
internal static class StorageTestOptions
{
    public static readonly RetryPolicy FastRetry = new()
    {
        MaxAttempts = 3,
        BaseDelay = TimeSpan.FromMilliseconds(20),
        MaxDelay = TimeSpan.FromMilliseconds(100),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    public static ObjectStoreOptions With(IReadOnlyDictionary<string, string>? environment = null, RecordingHandler? recorder = null) => new()
    {
        Retry = FastRetry,
        Environment = name => environment?.GetValueOrDefault(name),
        HttpInterceptor = recorder is null ? null : () => recorder,
    };
}
