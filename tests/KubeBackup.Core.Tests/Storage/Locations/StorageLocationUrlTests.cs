using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.Locations;

namespace KubeBackup.Core.Tests.Storage.Locations;

public sealed class StorageLocationUrlTests
{
    [Fact]
    public void S3WithEveryQueryKey()
    {
        var location = StorageLocationUrl.Parse("s3://velero-backups/cluster1/prod?region=us-east-1&endpoint=http%3A%2F%2Fminio%3A9000&forcePathStyle=true");
        Assert.Equal(StorageProvider.S3, location.Provider);
        Assert.Equal("velero-backups", location.Bucket);
        Assert.Equal("cluster1/prod", location.Prefix);
        Assert.Equal("us-east-1", location.Region);
        Assert.Equal("http://minio:9000", location.Endpoint);
        Assert.True(location.ForcePathStyle);
    }

    [Fact]
    public void OssAsInTheSeed()
    {
        var location = StorageLocationUrl.Parse("oss://velero-backup-bucket/cluster-prod?region=cn-hangzhou", "prod");
        Assert.Equal("prod", location.Name);
        Assert.Equal(StorageProvider.AlibabaCloud, location.Provider);
        Assert.Equal("velero-backup-bucket", location.Bucket);
        Assert.Equal("cluster-prod", location.Prefix);
        Assert.Equal("cn-hangzhou", location.Region);
    }

    [Fact]
    public void AzureBlobNamesAccountContainerAndPrefix()
    {
        var location = StorageLocationUrl.Parse("azblob://backupacct/velero/cluster1");
        Assert.Equal(StorageProvider.AzureBlob, location.Provider);
        Assert.Equal("backupacct", location.Account);
        Assert.Equal("velero", location.Bucket);
        Assert.Equal("cluster1", location.Prefix);
        Assert.Equal(string.Empty, StorageLocationUrl.Parse("azblob://backupacct/velero").Prefix);
    }

    [Fact]
    public void FileUrlsArePaths()
    {
        var location = StorageLocationUrl.Parse("file:///var/backups/kube");
        Assert.Equal(StorageProvider.FileSystem, location.Provider);
        Assert.Equal("/var/backups/kube", location.Path);
    }

    [Theory]
    [InlineData("s3://bucket/prefix?region=eu-west-1&forcePathStyle=false")]
    [InlineData("oss://bucket?region=cn-hangzhou")]
    [InlineData("azblob://acct/container/a/b")]
    [InlineData("file:///tmp/repo")]
    public void FormatRoundTrips(string url)
    {
        var location = StorageLocationUrl.Parse(url);
        Assert.Equal(location, StorageLocationUrl.Parse(location.Url, location.Name));
    }

    [Theory]
    [InlineData("ftp://server/path")]
    [InlineData("s3:///prefix-without-bucket")]
    [InlineData("s3://bucket/prefix?region=x&acl=public")]
    [InlineData("s3://bucket/prefix?forcePathStyle=maybe")]
    [InlineData("azblob://account")]
    [InlineData("file://server/share")]
    public void BadUrlsSayWhy(string url)
    {
        var error = Assert.Throws<KbException>(() => StorageLocationUrl.Parse(url));
        Assert.Equal(ErrorIds.InvalidStorageLocationUrl, error.ErrorId);
        Assert.Equal(KbErrorCategory.InvalidArgument, error.Category);
    }

    [Fact]
    public void CredentialsInAUrlAreRefusedWithoutBeingRepeated()
    {
        var error = Assert.Throws<KbException>(() => StorageLocationUrl.Parse("s3://AKIAEXAMPLE:SuperSecretKey@bucket/prefix"));
        Assert.Equal(ErrorIds.InvalidStorageLocationUrl, error.ErrorId);
        Assert.DoesNotContain("SuperSecretKey", error.Message);
        Assert.DoesNotContain("SuperSecretKey", error.Target?.ToString());
    }
}
