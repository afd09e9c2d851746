using System.Management.Automation;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.Locations;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Saves a named storage location in the user's config file: from provider settings, from a URL, or imported
/// from a Velero BackupStorageLocation manifest.
/// </summary>
[Cmdlet(VerbsCommon.New, "KbStorageLocation", SupportsShouldProcess = true, DefaultParameterSetName = ProviderSet)]
[OutputType(typeof(StorageLocation))]
public sealed class NewKbStorageLocationCommand : RepositoryKeyCmdlet
{
    private const string ProviderSet = "Provider";
    private const string UrlSet = "Url";
    private const string SpecSet = "Spec";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ProviderSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = UrlSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    // A string, not StorageProvider: the engine lists the module's types before it can load Core, and a field
    // of a Core value type would need Core then (see docs/development.md).
    [Parameter(Mandatory = true, ParameterSetName = ProviderSet, ValueFromPipelineByPropertyName = true)]
    [ValidateSet(nameof(StorageProvider.FileSystem), nameof(StorageProvider.S3), nameof(StorageProvider.AlibabaCloud), nameof(StorageProvider.AzureBlob))]
    public string Provider { get; set; } = string.Empty;

    /// <summary>The S3/OSS bucket, or the Azure container.</summary>
    [Parameter(ParameterSetName = ProviderSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Container")]
    [ValidateNotNullOrEmpty]
    public string? Bucket { get; set; }

    [Parameter(ParameterSetName = ProviderSet, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? Prefix { get; set; }

    [Parameter(ParameterSetName = ProviderSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Region { get; set; }

    [Parameter(ParameterSetName = ProviderSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Endpoint { get; set; }

    [Parameter(ParameterSetName = ProviderSet)]
    public SwitchParameter ForcePathStyle { get; set; }

    /// <summary>The Azure storage account.</summary>
    [Parameter(ParameterSetName = ProviderSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Account { get; set; }

    /// <summary>The directory of a FileSystem location.</summary>
    [Parameter(ParameterSetName = ProviderSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = UrlSet)]
    [ValidateNotNullOrEmpty]
    public string Url { get; set; } = string.Empty;

    /// <summary>A Velero BackupStorageLocation manifest: a file path or the YAML text.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SpecSet)]
    [ValidateNotNullOrEmpty]
    public string Spec { get; set; } = string.Empty;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CredentialFile { get; set; }

    [Parameter]
    public SwitchParameter Default { get; set; }

    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var catalog = new StorageLocationCatalog(UserPaths.FromEnvironment());
        foreach (var location in Locations())
        {
            var complete = StorageLocationValidation.Validate(location);
            if (!await ShouldProcessAsync($"{complete.Name} ({complete.Url})", "Save storage location").ConfigureAwait(false))
            {
                continue;
            }
            using (var key = ResolveKey())
            {
                if (key is null)
                {
                    EmitVerbose($"No passphrase or key file: the first backup creates an unencrypted repository at {complete.Url}. Backups hold Secrets; consider -Passphrase.");
                }
                else
                {
                    await using var store = ReadOnlyObjectStore.Open(complete);
                    var result = await RepositoryBootstrap.EnsureAsync(complete, store, key, Sink, cancellationToken).ConfigureAwait(false);
                    EmitVerbose(result == RepositoryBootstrapResult.Initialized
                        ? $"Created an encrypted repository at {complete.Url}."
                        : $"The key opens the encrypted repository already at {complete.Url}.");
                }
            }
            Emit(catalog.Add(complete));
        }
    }

    private IEnumerable<StorageLocation> Locations()
    {
        var credentialFile = ResolveCredentialFile();
        IEnumerable<StorageLocation> locations = ParameterSetName switch
        {
            UrlSet => [StorageLocationUrl.Parse(Url, Name)],
            SpecSet => ImportSpec(),
            _ => [new StorageLocation
            {
                Name = Name,
                Provider = Enum.Parse<StorageProvider>(Provider, ignoreCase: true),
                Bucket = Bucket,
                Prefix = (Prefix ?? string.Empty).Trim('/'),
                Region = Region,
                Endpoint = Endpoint,
                ForcePathStyle = ForcePathStyle.IsPresent ? ForcePathStyle.ToBool() : null,
                Account = Account,
                Path = Path is null ? null : System.IO.Path.GetFullPath(Path, CurrentDirectory),
            }],
        };
        return locations.Select(l => l with
        {
            CredentialFile = credentialFile ?? l.CredentialFile,
            Default = Default.IsPresent || l.Default,
            ReadOnly = ReadOnly.IsPresent || l.ReadOnly,
        }).ToList();
    }

    private IEnumerable<StorageLocation> ImportSpec()
    {
        var isText = Spec.Contains('\n') || Spec.TrimStart().StartsWith("apiVersion:", StringComparison.Ordinal);
        var source = isText ? "the -Spec text" : System.IO.Path.GetFullPath(Spec, CurrentDirectory);
        if (!isText && !File.Exists(source))
        {
            throw new KbException(ErrorIds.InvalidStorageLocationSpec, KbErrorCategory.ObjectNotFound, Spec, $"The -Spec file '{source}' does not exist.");
        }
        var result = VeleroStorageLocationImport.Parse(isText ? Spec : File.ReadAllText(source), source);
        result.Warnings.ToList().ForEach(EmitWarning);
        return result.Locations;
    }

    private string? ResolveCredentialFile()
    {
        if (CredentialFile is null)
        {
            return null;
        }
        var path = System.IO.Path.GetFullPath(CredentialFile, CurrentDirectory);
        return File.Exists(path)
            ? path
            : throw new KbException(ErrorIds.InvalidStorageLocation, KbErrorCategory.ObjectNotFound, CredentialFile,
                $"The credential file '{path}' does not exist. The location stores the file's path, never its contents.");
    }
}
