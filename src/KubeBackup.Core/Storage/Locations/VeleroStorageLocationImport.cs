using KubeBackup.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KubeBackup.Core.Storage.Locations;

/// <summary>The locations a Velero manifest defines, and what could not be carried over.</summary>
public sealed record VeleroImportResult(IReadOnlyList<StorageLocation> Locations, IReadOnlyList<string> Warnings);

/// <summary>
/// Reads Velero <c>BackupStorageLocation</c> manifests (one or several YAML documents, as in the seed) into
/// storage locations. Other kinds in the same file (VolumeSnapshotLocation, ...) are skipped with a warning.
/// </summary>
public static class VeleroStorageLocationImport
{
    private static readonly HashSet<string> KnownConfigKeys = new(StringComparer.Ordinal)
    {
        "region", "s3Url", "s3ForcePathStyle", "storageAccount", "resourceGroup", "subscriptionId", "network",
    };

    public static VeleroImportResult Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw Invalid(source, $"it is not valid YAML: {e.Message}", e);
        }

        var locations = new List<StorageLocation>();
        var warnings = new List<string>();
        foreach (var document in stream.Documents)
        {
            if (document.RootNode is not YamlMappingNode root)
            {
                continue;
            }
            var kind = Scalar(root, "kind");
            if (kind != "BackupStorageLocation")
            {
                warnings.Add($"Skipped a {kind ?? "document without a kind"} in {source}: only BackupStorageLocation documents define storage locations.");
                continue;
            }
            locations.Add(Location(root, source, warnings));
        }
        if (locations.Count == 0)
        {
            throw Invalid(source, "it holds no BackupStorageLocation document");
        }
        return new VeleroImportResult(locations, warnings);
    }

    private static StorageLocation Location(YamlMappingNode root, string source, List<string> warnings)
    {
        var name = Scalar(Child(root, "metadata"), "name") ?? throw Invalid(source, "a BackupStorageLocation has no metadata.name");
        var spec = Child(root, "spec") ?? throw Invalid(source, $"BackupStorageLocation '{name}' has no spec");
        var provider = Scalar(spec, "provider") ?? throw Invalid(source, $"BackupStorageLocation '{name}' has no spec.provider");
        var objectStorage = Child(spec, "objectStorage") ?? throw Invalid(source, $"BackupStorageLocation '{name}' has no spec.objectStorage");
        var config = Child(spec, "config");
        foreach (var key in config?.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!) ?? [])
        {
            if (!KnownConfigKeys.Contains(key))
            {
                warnings.Add($"BackupStorageLocation '{name}': config key '{key}' has no KubeBackup equivalent and was ignored.");
            }
        }
        if (Child(spec, "credential") is not null)
        {
            warnings.Add($"BackupStorageLocation '{name}' reads its credentials from a Kubernetes Secret; KubeBackup uses the provider's credential chain or -CredentialFile instead.");
        }

        var location = new StorageLocation
        {
            Name = name,
            Provider = ProviderOf(provider, name, source),
            Bucket = Scalar(objectStorage, "bucket") ?? throw Invalid(source, $"BackupStorageLocation '{name}' has no spec.objectStorage.bucket"),
            Prefix = (Scalar(objectStorage, "prefix") ?? string.Empty).Trim('/'),
            Region = Scalar(config, "region"),
            Endpoint = Scalar(config, "s3Url"),
            ForcePathStyle = Scalar(config, "s3ForcePathStyle") is { } pathStyle
                ? bool.TryParse(pathStyle, out var forced) ? forced : throw Invalid(source, $"BackupStorageLocation '{name}': s3ForcePathStyle must be \"true\" or \"false\", not '{pathStyle}'")
                : null,
            Account = Scalar(config, "storageAccount"),
            Default = Scalar(spec, "default") == "true",
            ReadOnly = Scalar(spec, "accessMode") == "ReadOnly",
        };
        if (provider is "gcp" or "velero.io/gcp")
        {
            warnings.Add($"BackupStorageLocation '{name}': Google Cloud Storage is reached through its S3 interoperability API (HMAC keys).");
            location = location with { Endpoint = location.Endpoint ?? "https://storage.googleapis.com" };
        }
        return location;
    }

    private static StorageProvider ProviderOf(string provider, string name, string source) => provider switch
    {
        "aws" or "velero.io/aws" or "gcp" or "velero.io/gcp" => StorageProvider.S3,
        "alibabacloud" or "velero.io/alibabacloud" => StorageProvider.AlibabaCloud,
        "azure" or "velero.io/azure" => StorageProvider.AzureBlob,
        _ => throw Invalid(source, $"BackupStorageLocation '{name}' uses provider '{provider}'; supported: aws, alibabacloud, azure, gcp"),
    };

    private static YamlMappingNode? Child(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;

    private static KbException Invalid(string source, string reason, Exception? inner = null) =>
        new(ErrorIds.InvalidStorageLocationSpec, KbErrorCategory.InvalidData, source, $"{source} is not a usable Velero BackupStorageLocation: {reason}.", inner);
}
