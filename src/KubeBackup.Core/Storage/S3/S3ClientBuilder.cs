using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace KubeBackup.Core.Storage.S3;

/// <summary>An AmazonS3Client configured for one mode and endpoint, with the SDK's own retries off (ours decide).</summary>
internal static class S3ClientBuilder
{
    /// <summary>The region used to sign requests to a custom endpoint when none is given (MinIO, s3rver, Ceph accept it).</summary>
    public const string DefaultSigningRegion = "us-east-1";

    public static (AmazonS3Client Client, S3HttpClientFactory Http) Build(
        S3Mode mode, string? serviceUrl, string? region, bool forcePathStyle, AccessKeyCredentials? credentials, RetryPolicy retry, Func<DelegatingHandler>? interceptor)
    {
        var http = new S3HttpClientFactory(interceptor);
        var config = new AmazonS3Config
        {
            ForcePathStyle = forcePathStyle,
            MaxErrorRetry = 0,
            Timeout = retry.RequestTimeout,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            HttpClientFactory = http,
        };
        if (mode == S3Mode.Compatible)
        {
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        if (serviceUrl is not null)
        {
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = region ?? DefaultSigningRegion;
        }
        else if (region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        var client = credentials is null
            ? new AmazonS3Client(config)
            : new AmazonS3Client(ToAws(credentials), config);
        return (client, http);
    }

    private static AWSCredentials ToAws(AccessKeyCredentials credentials) => credentials.SessionToken is null
        ? new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey)
        : new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken);
}
