namespace KubeBackup.Core.Storage.S3;

/// <summary>How the S3 provider talks to its endpoint.</summary>
public enum S3Mode
{
    /// <summary>
    /// Amazon S3 itself: the SDK's defaults, including aws-chunked uploads with trailing CRC checksums.
    /// </summary>
    Aws,

    /// <summary>
    /// Any other S3 implementation (OSS, MinIO, Ceph, GCS interoperability, s3rver): plain request bodies with
    /// Content-MD5 (never aws-chunked), checksums only where the API requires them, and our own ETag checks.
    /// Many of these stores reject aws-chunked bodies or, worse, store the chunk framing as the object.
    /// </summary>
    Compatible,
}
