namespace KubeBackup.Core.Storage.S3;

/// <summary>Alibaba Cloud OSS endpoints by region (the region id without the "oss-" prefix, e.g. cn-hangzhou).</summary>
public static class OssEndpoints
{
    public static string For(string region, bool internalNetwork)
    {
        var id = region.StartsWith("oss-", StringComparison.OrdinalIgnoreCase) ? region[4..] : region;
        return internalNetwork ? $"https://oss-{id}-internal.aliyuncs.com" : $"https://oss-{id}.aliyuncs.com";
    }

    /// <summary>The region id OSS expects in Signature V4 ("cn-hangzhou").</summary>
    public static string SigningRegion(string region) =>
        region.StartsWith("oss-", StringComparison.OrdinalIgnoreCase) ? region[4..] : region;
}
