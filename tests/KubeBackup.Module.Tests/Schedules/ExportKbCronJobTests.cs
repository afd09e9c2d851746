using System.Text.Json.Nodes;
using KubeBackup.Module.Tests.Restores;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Schedules;

/// <summary>Export-KbCronJob through the hosted engine; its YAML applied by the real kubectl to an emulator of its own.</summary>
[Collection(ModuleCollection.Name)]
public sealed class ExportKbCronJobTests : IAsyncLifetime
{
    private const string S3Url = "s3://backups/prod?region=eu-central-1";

    private readonly string _directory = Directory.CreateTempSubdirectory("kb-cronjob-").FullName;
    private readonly IsolatedUserDirectories _user = new();
    private EmulatorProcess? _cluster;
    private PowerShellSession? _session;

    private EmulatorProcess Cluster => _cluster!;

    private PowerShellSession Session => _session!;

    public async Task InitializeAsync()
    {
        _cluster = await EmulatorProcess.StartAsync("cronjob");
        _session = PowerShellSession.Start();
    }

    public async Task DisposeAsync()
    {
        _session?.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
        _user.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private string Manifest(string script, params object?[] arguments) =>
        Assert.IsType<string>(Assert.Single(Session.Invoke(script, arguments).ThrowIfErrors().Output).BaseObject);

    private void Apply(string yaml)
    {
        var path = Path.Combine(_directory, $"cronjob-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        Kubectl.Run(Cluster.KubeconfigPath, "apply", "-f", path);
    }

    private JsonObject Get(string resource, string? ns, string name) =>
        JsonNode.Parse(Kubectl.Run(Cluster.KubeconfigPath, ns is null ? ["get", resource, name, "-o", "json"] : ["get", resource, name, "-n", ns, "-o", "json"]))!.AsObject();

    [Fact]
    public void TheManifestAppliesWithKubectlAndTheCronJobRunsInvokeKbScheduleWithTheBackupRole()
    {
        var version = (string)Session.Invoke("(Get-Module KubeBackup).Version.ToString()").ThrowIfErrors().Output.Single().BaseObject;
        Apply(Manifest("Export-KbCronJob -StorageLocation $args[0] -CredentialSecret kubebackup-s3", S3Url));

        var cronJob = Get("cronjob", "kubebackup-system", "kubebackup-schedules");
        var spec = cronJob["spec"]!;
        Assert.Equal("*/15 * * * *", (string?)spec["schedule"]);
        Assert.Equal("Forbid", (string?)spec["concurrencyPolicy"]);
        Assert.Equal(3, (int?)spec["successfulJobsHistoryLimit"]);
        Assert.Equal(3, (int?)spec["failedJobsHistoryLimit"]);
        var pod = spec["jobTemplate"]!["spec"]!["template"]!["spec"]!;
        Assert.Equal("kubebackup", (string?)pod["serviceAccountName"]);
        Assert.Equal("OnFailure", (string?)pod["restartPolicy"]);
        Assert.True((bool?)pod["securityContext"]!["runAsNonRoot"]);
        var container = pod["containers"]![0]!;
        Assert.Equal("mcr.microsoft.com/powershell:7.4-ubuntu-22.04", (string?)container["image"]);
        var command = container["command"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Equal(["pwsh", "-NoProfile", "-NonInteractive", "-Command"], command[..4]);
        Assert.Contains($"Install-PSResource -Name KubeBackup -Version '{version}'", command[4], StringComparison.Ordinal);
        Assert.Contains("Import-Module KubeBackup; Invoke-KbSchedule -StorageLocation $env:KUBEBACKUP_LOCATION -ErrorAction Stop", command[4], StringComparison.Ordinal);
        var env = container["env"]!.AsArray();
        Assert.Contains(env, e => (string?)e!["name"] == "KUBEBACKUP_LOCATION" && (string?)e["value"] == S3Url);
        Assert.Equal("kubebackup-s3", (string?)container["envFrom"]![0]!["secretRef"]!["name"]);
        Assert.NotNull(container["resources"]!["requests"]!["memory"]);

        Assert.Equal("kubebackup-system", (string?)Get("serviceaccount", "kubebackup-system", "kubebackup")["metadata"]!["namespace"]);
        var role = Get("clusterrole", null, "kubebackup-backup");
        Assert.Contains(role["rules"]!.AsArray(), r => (string?)r!["resources"]![0] == "*" && r["verbs"]!.AsArray().Any(v => (string?)v == "list"));
        var binding = Get("clusterrolebinding", null, "kubebackup-backup");
        Assert.Equal("kubebackup", (string?)binding["subjects"]![0]!["name"]);
    }

    [Fact]
    public void NameNamespaceScheduleZoneImageAndVersionAreTheCronJobsAndASavedLocationGivesItsUrl()
    {
        Session.Invoke("New-KbStorageLocation -Name prod-s3 -Url $args[0]", S3Url).ThrowIfErrors();
        Apply(Manifest("Export-KbCronJob prod-s3 -Name nightly-runner -Namespace ops -ServiceAccount runner -Every 30m -TimeZone Europe/Berlin -Image 'registry.example/pwsh@sha256:0123' -ModuleVersion 1.2.3"));

        var spec = Get("cronjob", "ops", "nightly-runner")["spec"]!;
        Assert.Equal("*/30 * * * *", (string?)spec["schedule"]);
        Assert.Equal("Europe/Berlin", (string?)spec["timeZone"]);
        var pod = spec["jobTemplate"]!["spec"]!["template"]!["spec"]!;
        Assert.Equal("runner", (string?)pod["serviceAccountName"]);
        var container = pod["containers"]![0]!;
        Assert.Equal("registry.example/pwsh@sha256:0123", (string?)container["image"]);
        Assert.Contains("-Version '1.2.3'", (string?)container["command"]![4], StringComparison.Ordinal);
        Assert.Contains(container["env"]!.AsArray(), e => (string?)e!["name"] == "KUBEBACKUP_LOCATION" && ((string?)e["value"])!.StartsWith("s3://backups/prod", StringComparison.Ordinal));
        Assert.Null(container["envFrom"]);
        Assert.Equal("ops", (string?)Get("serviceaccount", "ops", "runner")["metadata"]!["namespace"]);
    }

    [Theory]
    [InlineData("Export-KbCronJob s3://b/p -Name Bad_Name", "CronJobManifestInvalid", "Bad_Name")]
    [InlineData("Export-KbCronJob s3://b/p -Name a-name-that-is-far-too-long-for-a-cronjob-of-kubernetes", "CronJobManifestInvalid", "52")]
    [InlineData("Export-KbCronJob s3://b/p -Namespace 'Kube System'", "CronJobManifestInvalid", "namespace")]
    [InlineData("Export-KbCronJob s3://b/p -CredentialSecret 'my secret'", "CronJobManifestInvalid", "Secret")]
    [InlineData("Export-KbCronJob s3://b/p -Image 'pwsh; rm -rf'", "CronJobManifestInvalid", "image")]
    [InlineData("Export-KbCronJob s3://b/p -ModuleVersion latest", "CronJobManifestInvalid", "module version")]
    [InlineData("Export-KbCronJob file:///var/backups", "CronJobManifestInvalid", "cannot reach")]
    [InlineData("Export-KbCronJob s3://b/p -Cron '61 * * * *'", "ScheduleCronInvalid", "61")]
    [InlineData("Export-KbCronJob s3://b/p -Cron '@every 15m'", "ScheduleCronInvalid", "5-field")]
    [InlineData("Export-KbCronJob s3://b/p -Cron 'CRON_TZ=UTC 0 * * * *'", "ScheduleCronInvalid", "time zone")]
    [InlineData("Export-KbCronJob s3://b/p -Every 7m", "CronJobManifestInvalid", "divide an hour")]
    [InlineData("Export-KbCronJob s3://b/p -TimeZone Mars/Olympus", "ScheduleTimeZoneUnknown", "Mars/Olympus")]
    public void BadInputIsATerminatingErrorWithAStableId(string script, string id, string message)
    {
        var result = Session.Invoke(script);
        Assert.Empty(result.Output);
        var error = result.SingleError();
        Assert.Equal($"{id},KubeBackup.Commands.ExportKbCronJobCommand", error.FullyQualifiedErrorId);
        Assert.Contains(message, error.Exception.Message, StringComparison.OrdinalIgnoreCase);
    }
}
