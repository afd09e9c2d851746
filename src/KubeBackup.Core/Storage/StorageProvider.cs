namespace KubeBackup.Core.Storage;

/// <summary>Where a storage location keeps its repository.</summary>
public enum StorageProvider
{
    /// <summary>A local or mounted directory; the embedded default.</summary>
    FileSystem,

    /// <summary>Amazon S3 or any S3-compatible endpoint (MinIO, Ceph, GCS interoperability).</summary>
    S3,

    /// <summary>Alibaba Cloud OSS, through its S3-compatible API.</summary>
    AlibabaCloud,

    /// <summary>Azure Blob Storage.</summary>
    AzureBlob,
}
