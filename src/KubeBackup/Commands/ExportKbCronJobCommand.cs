using System.Management.Automation;
using KubeBackup.Completers;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Rbac;
using KubeBackup.Core.Schedules;
using KubeBackup.Core.Storage;
using KubeBackup.Infrastructure;

namespace KubeBackup.Commands;

/// <summary>
/// Writes a Kubernetes CronJob that runs Invoke-KbSchedule in the cluster, with its ServiceAccount and the Backup role's
/// least-privilege RBAC, as YAML for <c>kubectl apply -f -</c>. Contacts no cluster and no storage location.
/// </summary>
[Cmdlet(VerbsData.Export, "KbCronJob", DefaultParameterSetName = CronSet)]
[OutputType(typeof(string))]
public sealed class ExportKbCronJobCommand : AsyncCmdlet
{
    private const string CronSet = "Cron";
    private const string EverySet = "Every";

    /// <summary>The storage location the pod runs the schedules of: a URL, or a saved location (its URL is used).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(StorageLocationNameCompleter))]
    [StorageLocationTransformation]
    [ValidateNotNull]
    public Core.Storage.StorageLocation? StorageLocation { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = CronJobOptions.DefaultName;

    [Parameter]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = RbacManifest.DefaultNamespace;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ServiceAccount { get; set; } = RbacManifest.DefaultServiceAccount;

    /// <summary>How often the runner runs: the CronJob's schedule, a 5-field cron expression or a macro.</summary>
    [Parameter(ParameterSetName = CronSet)]
    [ValidateNotNullOrEmpty]
    public string Cron { get; set; } = CronJobOptions.DefaultCron;

    /// <summary>How often the runner runs, as an interval (15m, 1h) cron can keep even.</summary>
    [Parameter(Mandatory = true, ParameterSetName = EverySet)]
    [DurationTransformation]
    [ValidatePositiveDuration]
    public TimeSpan Every { get; set; }

    /// <summary>The IANA zone of the CronJob's schedule (spec.timeZone).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TimeZone { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Image { get; set; } = CronJobOptions.DefaultImage;

    /// <summary>A Secret whose keys become the container's environment variables (credentials, KUBEBACKUP_PASSPHRASE).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CredentialSecret { get; set; }

    /// <summary>The KubeBackup version installed in the container; default: this module's version.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ModuleVersion { get; set; }

    // Nothing comes from the pipeline but the location: bad input stops the command.
    protected override bool ItemFailuresAreTerminating => true;

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var location = StorageLocation!;
        if (location.Provider == StorageProvider.FileSystem)
        {
            throw new KbException(ErrorIds.CronJobManifestInvalid, KbErrorCategory.InvalidArgument, location.Name,
                $"Storage location '{location.Name}' is a local folder ({location.Url}), which a pod in the cluster cannot reach: use an object store location (s3://, oss://, azblob://).");
        }
        if (location.CredentialFile is not null)
        {
            EmitWarning($"Storage location '{location.Name}' reads its credentials from '{location.CredentialFile}', which the pod does not have: put them in a Secret and pass -CredentialSecret.");
        }
        var options = new CronJobOptions
        {
            Name = Name,
            Namespace = Namespace,
            ServiceAccount = ServiceAccount,
            Cron = ParameterSetName == EverySet ? CronJobManifest.CronEvery(Every) : Cron,
            TimeZone = TimeZone,
            Image = Image,
            StorageLocationUrl = location.Url,
            CredentialSecret = CredentialSecret,
            ModuleVersion = ModuleVersion ?? OwnVersion(),
        };
        Emit(CronJobManifest.Build(options));
        return Task.CompletedTask;
    }

    private static string OwnVersion()
    {
        var version = typeof(ExportKbCronJobCommand).Assembly.GetName().Version ?? new Version(0, 0, 0);
        return $"{version.Major}.{version.Minor}.{Math.Max(version.Build, 0)}";
    }
}
