using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using KubeBackup.Core.Storage;

namespace KubeBackup.Core.Tests.Storage.Servers;

/// <summary>
/// One s3rver 3.7.1 for all S3 and OSS tests (credentials S3RVER/S3RVER). Each test gets its own bucket.
/// The OpenSSL legacy provider is needed: without it every truncated ListObjectsV2 page fails with 500.
/// </summary>
public sealed partial class S3rverFixture : IAsyncLifetime
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    private readonly string _directory = Directory.CreateTempSubdirectory("kb-s3rver-").FullName;
    private NodeServer? _server;
    private AmazonS3Client? _admin;

    public string Endpoint => $"http://127.0.0.1:{_server!.Port}";

    /// <summary>A client outside the code under test, for arranging and inspecting the server.</summary>
    public AmazonS3Client Admin => _admin!;

    public async Task InitializeAsync()
    {
        _server = await NodeServer.StartAsync("s3rver", ["--openssl-legacy-provider"],
            ["-d", _directory, "-a", "127.0.0.1", "-p", "0", "--silent"], Listening());
        _admin = new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
        {
            ServiceURL = Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
    }

    public async Task<string> CreateBucketAsync()
    {
        var bucket = $"kb-{Guid.NewGuid():N}";
        await Admin.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        return bucket;
    }

    /// <summary>A credentials file in Velero's format, in a fresh temp directory.</summary>
    public string WriteCredentialFile(string accessKey = AccessKey, string secretKey = SecretKey)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("kb-cred-").FullName, "credentials-velero");
        File.WriteAllText(path, $"[default]\naws_access_key_id={accessKey}\naws_secret_access_key={secretKey}\n");
        return path;
    }

    public StorageLocation S3Location(string bucket, string prefix = "", string? credentialFile = null) => new()
    {
        Name = "s3rver",
        Provider = StorageProvider.S3,
        Bucket = bucket,
        Prefix = prefix,
        Endpoint = Endpoint,
        CredentialFile = credentialFile ?? WriteCredentialFile(),
    };

    public Task DisposeAsync()
    {
        _admin?.Dispose();
        _server?.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"listening on [\d.]+:(?<port>\d+)")]
    private static partial Regex Listening();
}

[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
