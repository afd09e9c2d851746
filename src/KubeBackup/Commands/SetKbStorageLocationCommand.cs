using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Storage;
using KubeBackup.Core.Storage.Locations;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Changes a saved storage location: make it the default, make it read-only, or change its prefix, region,
/// endpoint, addressing or credential file. The provider and bucket name another place: save a new location for that.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KbStorageLocation", SupportsShouldProcess = true)]
[OutputType(typeof(StorageLocation))]
public sealed class SetKbStorageLocationCommand : AsyncCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(StorageLocationNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter Default { get; set; }

    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? Prefix { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Region { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? Endpoint { get; set; }

    [Parameter]
    public SwitchParameter ForcePathStyle { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? CredentialFile { get; set; }

    /// <summary>Writes the changed location to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var catalog = new StorageLocationCatalog(UserPaths.FromEnvironment());
        var current = catalog.GetSaved(Name);
        var changed = StorageLocationValidation.Validate(Apply(current));
        if (changed == current)
        {
            EmitVerbose($"Storage location '{current.Name}' already has these settings.");
        }
        else if (await ShouldProcessAsync($"{current.Name} ({current.Url})", "Change storage location").ConfigureAwait(false))
        {
            changed = catalog.Replace(current.Name, _ => changed);
        }
        else
        {
            return; // -WhatIf or declined: nothing changed, nothing to pass on
        }
        if (PassThru)
        {
            Emit(changed);
        }
    }

    private StorageLocation Apply(StorageLocation location)
    {
        bool Given(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);
        if (Given(nameof(CredentialFile)) && !string.IsNullOrEmpty(CredentialFile) && !File.Exists(Path.GetFullPath(CredentialFile, CurrentDirectory)))
        {
            throw new KbException(ErrorIds.InvalidStorageLocation, KbErrorCategory.ObjectNotFound, CredentialFile,
                $"The credential file '{Path.GetFullPath(CredentialFile, CurrentDirectory)}' does not exist.");
        }
        return location with
        {
            Default = Given(nameof(Default)) ? Default.ToBool() : location.Default,
            ReadOnly = Given(nameof(ReadOnly)) ? ReadOnly.ToBool() : location.ReadOnly,
            Prefix = Given(nameof(Prefix)) ? (Prefix ?? string.Empty).Trim('/') : location.Prefix,
            Region = Given(nameof(Region)) ? Region : location.Region,
            Endpoint = Given(nameof(Endpoint)) ? NullIfEmpty(Endpoint) : location.Endpoint,
            ForcePathStyle = Given(nameof(ForcePathStyle)) ? ForcePathStyle.ToBool() : location.ForcePathStyle,
            CredentialFile = Given(nameof(CredentialFile)) ? (string.IsNullOrEmpty(CredentialFile) ? null : Path.GetFullPath(CredentialFile, CurrentDirectory)) : location.CredentialFile,
        };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
