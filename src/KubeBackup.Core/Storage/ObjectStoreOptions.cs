namespace KubeBackup.Core.Storage;

/// <summary>How <see cref="ObjectStoreFactory"/> builds stores beyond what a <see cref="StorageLocation"/> says.</summary>
public sealed record ObjectStoreOptions
{
    public static ObjectStoreOptions Default { get; } = new();

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>Objects up to this size go up in one request; larger ones in parts of this size (bounded memory: two parts).</summary>
    public int PartSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// S3 only: overrides the mode chosen from the endpoint (AWS for Amazon endpoints, compatible for every other
    /// endpoint and always for OSS).
    /// </summary>
    public S3.S3Mode? S3Mode { get; init; }

    /// <summary>The profile to read from an AWS-format credentials file (default: AWS_PROFILE, then "default").</summary>
    public string? Profile { get; init; }

    /// <summary>Alibaba Cloud: use the region's internal (VPC) endpoint, oss-&lt;region&gt;-internal.aliyuncs.com.</summary>
    public bool OssInternalEndpoint { get; init; }

    /// <summary>Environment lookup; tests replace it so the machine's variables do not leak in.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Sits between the provider and the network (tests record requests with it).</summary>
    internal Func<DelegatingHandler>? HttpInterceptor { get; init; }
}
