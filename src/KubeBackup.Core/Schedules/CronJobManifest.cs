using System.Text.RegularExpressions;
using KubeBackup.Core.Common;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Rbac;
using YamlDotNet.Serialization;

namespace KubeBackup.Core.Schedules;

/// <summary>What the runner CronJob of <see cref="CronJobManifest"/> runs, where and how often.</summary>
public sealed record CronJobOptions
{
    public const string DefaultName = "kubebackup-schedules";

    /// <summary>A PowerShell 7.4 image (PSResourceGet is part of 7.4); users pin their own by digest.</summary>
    public const string DefaultImage = "mcr.microsoft.com/powershell:7.4-ubuntu-22.04";

    public const string DefaultCron = "*/15 * * * *";

    public string Name { get; init; } = DefaultName;

    public string Namespace { get; init; } = RbacManifest.DefaultNamespace;

    public string ServiceAccount { get; init; } = RbacManifest.DefaultServiceAccount;

    /// <summary>How often the runner runs (the CronJob's own schedule), not the schedules' slots.</summary>
    public string Cron { get; init; } = DefaultCron;

    /// <summary>The IANA zone of <see cref="Cron"/> (the CronJob's spec.timeZone); null is the controller's zone (UTC).</summary>
    public string? TimeZone { get; init; }

    public string Image { get; init; } = DefaultImage;

    /// <summary>The storage location's URL; the pod has no saved locations.</summary>
    public required string StorageLocationUrl { get; init; }

    /// <summary>A Secret whose keys become the container's environment (cloud credentials, KUBEBACKUP_PASSPHRASE).</summary>
    public string? CredentialSecret { get; init; }

    /// <summary>The KubeBackup version Install-PSResource installs in the container.</summary>
    public required string ModuleVersion { get; init; }
}

/// <summary>
/// The YAML that runs Invoke-KbSchedule inside the cluster: the Backup role's least-privilege RBAC
/// (<see cref="RbacManifest"/>) and a batch/v1 CronJob whose pod installs the module and runs every due schedule of one
/// storage location with the pod's service account. Runs never overlap (concurrencyPolicy Forbid), although
/// Invoke-KbSchedule would be safe if they did.
/// </summary>
public static partial class CronJobManifest
{
    public const string LocationVariable = "KUBEBACKUP_LOCATION";

    // A CronJob's name is at most 52 characters: its Jobs are named <cronjob>-<11 characters>.
    private const int MaxCronJobNameLength = 52;

    private static readonly ISerializer Yaml = new SerializerBuilder()
        .DisableAliases()
        .WithQuotingNecessaryStrings()
        .WithIndentedSequences()
        .Build();

    [GeneratedRegex(@"^\d+(\.\d+){1,3}(-[0-9A-Za-z.-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Version();

    [GeneratedRegex(@"^[^\s""'`$;]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageReference();

    /// <summary>The manifest as YAML documents separated by <c>---</c>, for <c>kubectl apply -f -</c>.</summary>
    /// <exception cref="KbException"><c>CronJobManifestInvalid</c>, <c>ScheduleCronInvalid</c>, <c>ScheduleTimeZoneUnknown</c>.</exception>
    public static string Build(CronJobOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(options);
        var role = RbacRole.Find("Backup") ?? throw new InvalidOperationException("The Backup role is missing.");
        var documents = RbacManifest.Documents(role, options.ServiceAccount, options.Namespace).ToList();
        documents.Add(CronJob(options, role));
        return string.Join("---\n", documents.Select(Yaml.Serialize));
    }

    /// <summary>The pwsh command line the container runs.</summary>
    public static string Command(string moduleVersion) =>
        $"$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'; " +
        $"Install-PSResource -Name KubeBackup -Version '{moduleVersion}' -Scope CurrentUser -TrustRepository; " +
        $"Import-Module KubeBackup; Invoke-KbSchedule -StorageLocation $env:{LocationVariable} -ErrorAction Stop";

    /// <summary>
    /// A cron expression that fires every <paramref name="interval"/>: whole minutes that divide an hour, or whole hours
    /// that divide a day (the intervals cron can keep even). CronJobManifestInvalid for any other.
    /// </summary>
    public static string CronEvery(TimeSpan interval)
    {
        if (interval > TimeSpan.Zero && interval.Ticks % TimeSpan.TicksPerMinute == 0)
        {
            var minutes = (int)interval.TotalMinutes;
            if (minutes < 60 && 60 % minutes == 0)
            {
                return minutes == 1 ? "* * * * *" : $"*/{minutes} * * * *";
            }
            if (minutes % 60 == 0 && minutes <= 24 * 60 && 24 % (minutes / 60) == 0)
            {
                var hours = minutes / 60;
                return hours == 1 ? "0 * * * *" : hours == 24 ? "0 0 * * *" : $"0 */{hours} * * *";
            }
        }
        throw Invalid(interval.ToString(), $"A CronJob cannot run every {interval}: use whole minutes that divide an hour (1m, 5m, 15m, 30m) or whole hours that divide a day (1h, 2h, 6h, 24h), or give a cron expression.");
    }

    private static void Check(CronJobOptions options)
    {
        if (NamespaceName.Problem(options.Name) is not null || options.Name.Length > MaxCronJobNameLength)
        {
            throw Invalid(options.Name, $"'{options.Name}' is not a valid CronJob name: use a DNS-1123 label of at most {MaxCronJobNameLength} characters (lower-case letters, digits and '-', starting and ending with a letter or digit); Kubernetes adds 11 characters to name each Job.");
        }
        Label(options.Namespace, "namespace");
        Label(options.ServiceAccount, "service account");
        if (options.CredentialSecret is { } secret && !DnsSubdomain(secret))
        {
            throw Invalid(secret, $"'{secret}' is not a valid Secret name: use a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', at most 253 characters).");
        }
        if (string.IsNullOrWhiteSpace(options.Image) || !ImageReference().IsMatch(options.Image))
        {
            throw Invalid(options.Image, $"'{options.Image}' is not a container image reference (registry/repository:tag or @sha256:digest, no spaces or quotes).");
        }
        if (!Version().IsMatch(options.ModuleVersion))
        {
            throw Invalid(options.ModuleVersion, $"'{options.ModuleVersion}' is not a module version such as 1.2.0.");
        }
        if (string.IsNullOrWhiteSpace(options.StorageLocationUrl) || options.StorageLocationUrl.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(options.StorageLocationUrl,
                $"The storage location '{options.StorageLocationUrl}' is a local folder, which a pod in the cluster cannot reach: use an object store (s3://, oss://, azblob://).");
        }
        // The CronJob's schedule is read by the CronJob controller: standard 5-field cron or a macro, in its time zone.
        var (expression, prefixZone) = ScheduleCron.SplitZonePrefix(options.Cron);
        if (prefixZone is not null)
        {
            throw new KbException(ErrorIds.ScheduleCronInvalid, KbErrorCategory.InvalidArgument, options.Cron,
                $"'{options.Cron}': a CronJob's schedule cannot carry a CRON_TZ= or TZ= prefix (Kubernetes rejects it); pass the zone as the time zone instead.");
        }
        var cron = ScheduleCron.Parse(expression, options.TimeZone);
        if (cron.Every is not null)
        {
            throw new KbException(ErrorIds.ScheduleCronInvalid, KbErrorCategory.InvalidArgument, options.Cron,
                $"'{options.Cron}' is not a CronJob schedule: use a 5-field cron expression or a macro such as @hourly.");
        }
    }

    private static Dictionary<string, object> CronJob(CronJobOptions options, RbacRole role)
    {
        var labels = new Dictionary<string, object>
        {
            [RbacManifest.ManagedByLabel] = RbacManifest.ManagedBy,
            [RbacManifest.ComponentLabel] = role.Component,
        };
        var container = new Dictionary<string, object>
        {
            ["name"] = "invoke-kbschedule",
            ["image"] = options.Image,
            ["command"] = new List<object> { "pwsh", "-NoProfile", "-NonInteractive", "-Command", Command(options.ModuleVersion) },
            ["env"] = new List<object>
            {
                new Dictionary<string, object> { ["name"] = LocationVariable, ["value"] = options.StorageLocationUrl },
                // The image's user has no home folder; Install-PSResource and the module write theirs under HOME.
                new Dictionary<string, object> { ["name"] = "HOME", ["value"] = "/tmp" },
            },
            ["resources"] = new Dictionary<string, object>
            {
                ["requests"] = new Dictionary<string, object> { ["cpu"] = "100m", ["memory"] = "256Mi" },
                ["limits"] = new Dictionary<string, object> { ["memory"] = "1Gi" },
            },
            ["securityContext"] = new Dictionary<string, object>
            {
                ["allowPrivilegeEscalation"] = false,
                ["capabilities"] = new Dictionary<string, object> { ["drop"] = new List<object> { "ALL" } },
            },
        };
        if (options.CredentialSecret is { } secret)
        {
            container["envFrom"] = new List<object> { new Dictionary<string, object> { ["secretRef"] = new Dictionary<string, object> { ["name"] = secret } } };
        }
        var podSpec = new Dictionary<string, object>
        {
            ["serviceAccountName"] = options.ServiceAccount,
            ["restartPolicy"] = "OnFailure",
            ["securityContext"] = new Dictionary<string, object>
            {
                ["runAsNonRoot"] = true,
                ["runAsUser"] = 65532,
                ["runAsGroup"] = 65532,
                ["seccompProfile"] = new Dictionary<string, object> { ["type"] = "RuntimeDefault" },
            },
            ["containers"] = new List<object> { container },
        };
        var spec = new Dictionary<string, object> { ["schedule"] = options.Cron };
        if (options.TimeZone is { } zone)
        {
            spec["timeZone"] = zone;
        }
        spec["concurrencyPolicy"] = "Forbid";
        spec["startingDeadlineSeconds"] = 300;
        spec["successfulJobsHistoryLimit"] = 3;
        spec["failedJobsHistoryLimit"] = 3;
        spec["jobTemplate"] = new Dictionary<string, object>
        {
            ["metadata"] = new Dictionary<string, object> { ["labels"] = labels },
            ["spec"] = new Dictionary<string, object>
            {
                ["backoffLimit"] = 2,
                ["template"] = new Dictionary<string, object>
                {
                    ["metadata"] = new Dictionary<string, object> { ["labels"] = labels },
                    ["spec"] = podSpec,
                },
            },
        };
        return new Dictionary<string, object>
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "CronJob",
            ["metadata"] = new Dictionary<string, object> { ["name"] = options.Name, ["namespace"] = options.Namespace, ["labels"] = labels },
            ["spec"] = spec,
        };
    }

    private static void Label(string value, string what)
    {
        if (value is null || NamespaceName.Problem(value) is not null)
        {
            throw Invalid(value, $"'{value}' is not a valid {what} name: use a DNS-1123 label (at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit).");
        }
    }

    private static bool DnsSubdomain(string value) =>
        value.Length is > 0 and <= 253 && value.Split('.').All(part => part.Length > 0 && NamespaceName.Problem(part) is null);

    private static KbException Invalid(string? target, string message) =>
        new(ErrorIds.CronJobManifestInvalid, KbErrorCategory.InvalidArgument, target, message);
}
