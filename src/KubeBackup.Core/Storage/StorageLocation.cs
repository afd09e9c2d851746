using System.Text.Json.Serialization;
using KubeBackup.Core.Storage.Locations;

namespace KubeBackup.Core.Storage;

/// <summary>
/// A named place that holds one backup repository, as saved in the user's config file or given as a URL.
/// Holds no secrets: credentials come from each provider's normal chain or from <see cref="CredentialFile"/>.
/// </summary>
public sealed record StorageLocation
{
    public required string Name { get; init; }

    public required StorageProvider Provider { get; init; }

    /// <summary>S3/OSS bucket, or Azure container.</summary>
    public string? Bucket { get; init; }

    /// <summary>Key prefix inside the bucket or container ('' for the root).</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>S3 region (us-east-1) or OSS region (cn-hangzhou).</summary>
    public string? Region { get; init; }

    /// <summary>A custom S3-compatible endpoint (MinIO, s3rver, an OSS endpoint), or the Azure blob service URL.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Path-style S3 addressing (bucket in the path), as MinIO and most self-hosted stores need.</summary>
    public bool? ForcePathStyle { get; init; }

    /// <summary>Azure storage account name.</summary>
    public string? Account { get; init; }

    /// <summary>FileSystem: the repository's directory.</summary>
    public string? Path { get; init; }

    /// <summary>A credentials file: Velero's credentials-velero (AWS shared-credentials format) or an Azure connection string file.</summary>
    public string? CredentialFile { get; init; }

    public bool Default { get; init; }

    public bool ReadOnly { get; init; }

    /// <summary>The location as a URL (s3://bucket/prefix?region=...), for display and for -StorageLocation.</summary>
    [JsonIgnore]
    public string Url => StorageLocationUrl.Format(this);
}
