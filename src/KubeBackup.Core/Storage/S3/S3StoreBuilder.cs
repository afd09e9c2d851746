using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Storage.S3;

/// <summary>
/// An <see cref="S3ObjectStore"/> for an S3 or Alibaba Cloud location: endpoint, addressing, mode and credentials.
/// S3: AWS mode for Amazon (no Endpoint, or an amazonaws.com one), compatible mode for every other endpoint,
/// path-style addressing for custom endpoints; credentials from the location's credentials file, else the AWS
/// default chain (environment, profile, web identity/IRSA, container and instance roles).
/// Alibaba Cloud: always compatible mode, oss-&lt;region&gt;.aliyuncs.com, virtual-hosted addressing (OSS requires
/// it), credentials from the credentials file or ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET (+ ALIBABA_CLOUD_SECURITY_TOKEN).
/// </summary>
internal static class S3StoreBuilder
{
    public static S3ObjectStore Build(StorageLocation location, ObjectStoreOptions options)
    {
        var bucket = string.IsNullOrWhiteSpace(location.Bucket)
            ? throw Invalid(location, "needs a bucket")
            : location.Bucket;
        var oss = location.Provider == StorageProvider.AlibabaCloud;
        var endpoint = string.IsNullOrWhiteSpace(location.Endpoint) ? null : location.Endpoint.TrimEnd('/');
        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            throw Invalid(location, $"has an endpoint that is not an absolute URL ('{endpoint}')");
        }
        string? region = string.IsNullOrWhiteSpace(location.Region) ? null : location.Region;
        if (oss)
        {
            if (endpoint is null)
            {
                endpoint = region is null ? throw Invalid(location, "needs a region (cn-hangzhou) or an endpoint") : OssEndpoints.For(region, options.OssInternalEndpoint);
            }
            region = region is null ? null : OssEndpoints.SigningRegion(region);
        }
        var mode = oss ? S3Mode.Compatible : options.S3Mode ?? (endpoint is null || IsAmazon(endpoint) ? S3Mode.Aws : S3Mode.Compatible);
        var pathStyle = location.ForcePathStyle ?? (!oss && endpoint is not null && !IsAmazon(endpoint));
        var credentials = Credentials(location, options, oss);
        var (client, http) = S3ClientBuilder.Build(mode, endpoint, region, pathStyle, credentials, options.Retry, options.HttpInterceptor);
        var settings = new S3StoreSettings
        {
            Bucket = bucket,
            Prefix = location.Prefix,
            Scheme = oss ? "oss" : "s3",
            Mode = mode,
            Endpoint = endpoint ?? $"AWS S3 ({region ?? "default region"})",
            Retry = options.Retry,
            PartSize = options.PartSize,
            Credentials = credentials,
        };
        return new S3ObjectStore(client, settings, http);
    }

    private static AccessKeyCredentials? Credentials(StorageLocation location, ObjectStoreOptions options, bool oss)
    {
        if (location.CredentialFile is { Length: > 0 } path)
        {
            return VeleroCredentialsFile.Read(path).GetAccessKey(options.Profile ?? options.Environment("AWS_PROFILE"));
        }
        if (!oss)
        {
            return null;
        }
        var id = options.Environment("ALIBABA_CLOUD_ACCESS_KEY_ID");
        var secret = options.Environment("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret))
        {
            throw new KbException(ErrorIds.StorageCredentialsNotFound, KbErrorCategory.AuthenticationError, location.Name,
                $"No Alibaba Cloud credentials for location '{location.Name}': set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS), or give the location a credentials file.");
        }
        return new AccessKeyCredentials(id, secret, options.Environment("ALIBABA_CLOUD_SECURITY_TOKEN"), "ALIBABA_CLOUD_ACCESS_KEY_ID");
    }

    private static bool IsAmazon(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
        && (uri.Host.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".amazonaws.com.cn", StringComparison.OrdinalIgnoreCase));

    private static KbException Invalid(StorageLocation location, string problem) =>
        new(ErrorIds.StorageLocationInvalid, KbErrorCategory.InvalidArgument, location.Name,
            $"The {(location.Provider == StorageProvider.AlibabaCloud ? "Alibaba Cloud OSS" : "S3")} location '{location.Name}' {problem}.");
}
