using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.Locations;

namespace KubeBackup.Core.Tests.Storage.Locations;

public sealed class VeleroStorageLocationImportTests
{
    // The seed's section 3.3, as users have it: a BackupStorageLocation and a VolumeSnapshotLocation in one file.
    private const string Seed = """
        # BackupStorageLocation
        apiVersion: velero.io/v1
        kind: BackupStorageLocation
        metadata:
          name: default
          namespace: velero
        spec:
          provider: alibabacloud
          objectStorage:
            bucket: velero-backup-bucket
            prefix: cluster-prod
          config:
            region: cn-hangzhou
        ---
        # VolumeSnapshotLocation
        apiVersion: velero.io/v1
        kind: VolumeSnapshotLocation
        metadata:
          name: default
          namespace: velero
        spec:
          provider: alibabacloud
          config:
            region: cn-hangzhou
        """;

    [Fact]
    public void TheSeedsLocationImports()
    {
        var result = VeleroStorageLocationImport.Parse(Seed, "seed.yaml");
        var location = Assert.Single(result.Locations);
        Assert.Equal("default", location.Name);
        Assert.Equal(StorageProvider.AlibabaCloud, location.Provider);
        Assert.Equal("velero-backup-bucket", location.Bucket);
        Assert.Equal("cluster-prod", location.Prefix);
        Assert.Equal("cn-hangzhou", location.Region);
        Assert.Contains(result.Warnings, w => w.Contains("VolumeSnapshotLocation"));
    }

    [Fact]
    public void MinioStyleAwsLocation()
    {
        var result = VeleroStorageLocationImport.Parse("""
            apiVersion: velero.io/v1
            kind: BackupStorageLocation
            metadata: { name: minio }
            spec:
              provider: velero.io/aws
              default: true
              accessMode: ReadOnly
              objectStorage: { bucket: velero, prefix: /c1/ }
              credential: { name: cloud-credentials, key: cloud }
              config: { region: minio, s3ForcePathStyle: "true", s3Url: "http://minio.velero.svc:9000", checksumAlgorithm: "" }
            """, "inline");
        var location = Assert.Single(result.Locations);
        Assert.Equal(StorageProvider.S3, location.Provider);
        Assert.Equal("c1", location.Prefix);
        Assert.Equal("http://minio.velero.svc:9000", location.Endpoint);
        Assert.True(location.ForcePathStyle);
        Assert.True(location.Default);
        Assert.True(location.ReadOnly);
        Assert.Contains(result.Warnings, w => w.Contains("checksumAlgorithm"));
        Assert.Contains(result.Warnings, w => w.Contains("Secret"));
    }

    [Theory]
    [InlineData("kind: BackupStorageLocation\nmetadata: { name: x }\nspec: { provider: openstack, objectStorage: { bucket: b } }")]
    [InlineData("kind: BackupStorageLocation\nmetadata: { name: x }\nspec: { provider: aws }")]
    [InlineData("kind: BackupStorageLocation\nspec: { provider: aws, objectStorage: { bucket: b } }")]
    [InlineData("kind: VolumeSnapshotLocation\nmetadata: { name: x }")]
    [InlineData("kind: [BackupStorageLocation")]
    [InlineData("kind: BackupStorageLocation\nmetadata: { name: x }\nspec: { provider: aws, objectStorage: { bucket: b }, config: { s3ForcePathStyle: maybe } }")]
    public void UnusableManifestsAreInvalid(string yaml)
    {
        var error = Assert.Throws<KbException>(() => VeleroStorageLocationImport.Parse(yaml, "bad.yaml"));
        Assert.Equal(ErrorIds.InvalidStorageLocationSpec, error.ErrorId);
        Assert.Equal("bad.yaml", error.Target);
    }
}
