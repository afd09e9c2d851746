namespace KubeBackup.Core.Storage.S3;

/// <summary>Where an <see cref="S3ObjectStore"/> keeps its objects and how it talks. Holds no secrets.</summary>
public sealed record S3StoreSettings
{
    public required string Bucket { get; init; }

    /// <summary>Key prefix inside the bucket ('' for the bucket's root).</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>"s3" or "oss": the scheme of <see cref="IObjectStore.Description"/>.</summary>
    public string Scheme { get; init; } = "s3";

    public S3Mode Mode { get; init; } = S3Mode.Compatible;

    /// <summary>The endpoint as people know it, for messages: "https://oss-cn-hangzhou.aliyuncs.com", "AWS S3 (eu-west-1)".</summary>
    public required string Endpoint { get; init; }

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    public int PartSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>The keys in use, only so they can be scrubbed from messages; null for the SDK's default chain.</summary>
    public AccessKeyCredentials? Credentials { get; init; }
}
