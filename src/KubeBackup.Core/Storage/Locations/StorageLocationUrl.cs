using System.Web;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Storage.Locations;

/// <summary>
/// Storage locations written as URLs, so runbooks need no config file:
/// <c>file:///backups</c>, <c>s3://bucket/prefix?region=us-east-1&amp;endpoint=http://minio:9000&amp;forcePathStyle=true</c>,
/// <c>oss://bucket/prefix?region=cn-hangzhou</c>, <c>azblob://account/container/prefix</c>.
/// Credentials are never accepted in a URL: they would end up in shell history and logs.
/// </summary>
public static class StorageLocationUrl
{
    private static readonly Dictionary<string, StorageProvider> Schemes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["file"] = StorageProvider.FileSystem,
        ["s3"] = StorageProvider.S3,
        ["oss"] = StorageProvider.AlibabaCloud,
        ["azblob"] = StorageProvider.AzureBlob,
    };

    private static readonly HashSet<string> QueryKeys = new(StringComparer.OrdinalIgnoreCase) { "region", "endpoint", "forcePathStyle" };

    /// <summary>Whether a -StorageLocation value is a URL rather than a saved location's name.</summary>
    public static bool IsUrl(string value) => value.Contains("://", StringComparison.Ordinal);

    public static StorageLocation Parse(string url, string? name = null)
    {
        var scheme = url.Contains("://", StringComparison.Ordinal) ? url[..url.IndexOf("://", StringComparison.Ordinal)] : string.Empty;
        if (!Schemes.TryGetValue(scheme, out var provider) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw Invalid(url, $"use file:///path, s3://bucket/prefix, oss://bucket/prefix or azblob://account/container/prefix");
        }
        if (uri.UserInfo.Length > 0)
        {
            // Never echo the URL here: it holds the secret.
            throw new KbException(ErrorIds.InvalidStorageLocationUrl, KbErrorCategory.InvalidArgument, $"{scheme}://***@{uri.Host}",
                "Storage location URLs must not contain credentials. Use the provider's credential chain or -CredentialFile.");
        }

        var query = HttpUtility.ParseQueryString(uri.Query);
        foreach (var key in query.AllKeys)
        {
            if (key is null || !QueryKeys.Contains(key))
            {
                throw Invalid(url, $"unknown query key '{key}'; the keys are region, endpoint and forcePathStyle");
            }
        }
        bool? forcePathStyle = null;
        if (query["forcePathStyle"] is { } text)
        {
            forcePathStyle = bool.TryParse(text, out var value) ? value : throw Invalid(url, $"forcePathStyle must be true or false, not '{text}'");
        }

        var segments = Uri.UnescapeDataString(uri.AbsolutePath).Trim('/');
        var location = provider switch
        {
            StorageProvider.FileSystem => new StorageLocation { Name = name ?? url, Provider = provider, Path = FilePath(uri, url) },
            StorageProvider.AzureBlob => Azure(uri, segments, url, name),
            _ => new StorageLocation
            {
                Name = name ?? url,
                Provider = provider,
                Bucket = Required(uri.Host, url, "a bucket"),
                Prefix = segments,
            },
        };
        return location with { Region = query["region"], Endpoint = query["endpoint"], ForcePathStyle = forcePathStyle };
    }

    /// <summary>The URL form of a location (no secrets: locations hold none).</summary>
    public static string Format(StorageLocation location)
    {
        var query = new List<string>();
        if (location.Region is { Length: > 0 } region)
        {
            query.Add($"region={Uri.EscapeDataString(region)}");
        }
        if (location.Endpoint is { Length: > 0 } endpoint)
        {
            query.Add($"endpoint={Uri.EscapeDataString(endpoint)}");
        }
        if (location.ForcePathStyle is { } pathStyle)
        {
            query.Add($"forcePathStyle={(pathStyle ? "true" : "false")}");
        }
        var suffix = query.Count > 0 ? "?" + string.Join('&', query) : string.Empty;
        var prefix = location.Prefix.Length > 0 ? "/" + location.Prefix : string.Empty;
        return location.Provider switch
        {
            StorageProvider.FileSystem => new Uri(System.IO.Path.GetFullPath(location.Path ?? ".")).AbsoluteUri + suffix,
            StorageProvider.S3 => $"s3://{location.Bucket}{prefix}{suffix}",
            StorageProvider.AlibabaCloud => $"oss://{location.Bucket}{prefix}{suffix}",
            StorageProvider.AzureBlob => $"azblob://{location.Account}/{location.Bucket}{prefix}{suffix}",
            _ => throw new ArgumentOutOfRangeException(nameof(location)),
        };
    }

    private static string FilePath(Uri uri, string url)
    {
        if (uri.Host.Length > 0 && !(uri.IsUnc && OperatingSystem.IsWindows()))
        {
            throw Invalid(url, "a file URL names a local path: file:///path (three slashes), or file://server/share on Windows");
        }
        return Required(uri.LocalPath, url, "a path");
    }

    private static StorageLocation Azure(Uri uri, string segments, string url, string? name)
    {
        var parts = segments.Split('/', 2);
        return new StorageLocation
        {
            Name = name ?? url,
            Provider = StorageProvider.AzureBlob,
            Account = Required(uri.Host, url, "a storage account"),
            Bucket = Required(parts[0], url, "a container"),
            Prefix = parts.Length > 1 ? parts[1] : string.Empty,
        };
    }

    private static string Required(string value, string url, string what) =>
        string.IsNullOrEmpty(value) ? throw Invalid(url, $"it names no {what[(what.IndexOf(' ') + 1)..]}; it needs {what}") : value;

    private static KbException Invalid(string url, string reason) =>
        new(ErrorIds.InvalidStorageLocationUrl, KbErrorCategory.InvalidArgument, url, $"'{url}' is not a storage location URL: {reason}.");
}
