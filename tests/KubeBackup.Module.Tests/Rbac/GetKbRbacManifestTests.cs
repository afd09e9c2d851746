using System.Management.Automation;
using System.Text.Json.Nodes;
using KubeBackup.Module.Tests.Restores;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Rbac;

/// <summary>Get-KbRbacManifest through the hosted engine; its YAML applied by the real kubectl to an emulator of its own.</summary>
[Collection(ModuleCollection.Name)]
public sealed class GetKbRbacManifestTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kb-rbac-").FullName;
    private EmulatorProcess? _cluster;
    private PowerShellSession? _session;

    private EmulatorProcess Cluster => _cluster!;

    private PowerShellSession Session => _session!;

    public async Task InitializeAsync()
    {
        _cluster = await EmulatorProcess.StartAsync("rbac");
        _session = PowerShellSession.Start();
    }

    public async Task DisposeAsync()
    {
        _session?.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }

    private string Manifest(string script)
    {
        var result = Session.Invoke(script).ThrowIfErrors();
        return Assert.IsType<string>(Assert.Single(result.Output).BaseObject);
    }

    private string Apply(string yaml)
    {
        var path = Path.Combine(_directory, $"rbac-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return Kubectl.Run(Cluster.KubeconfigPath, "apply", "-f", path);
    }

    private JsonObject Get(string resource, string? ns, string name) =>
        JsonNode.Parse(Kubectl.Run(Cluster.KubeconfigPath, ns is null ? ["get", resource, name, "-o", "json"] : ["get", resource, name, "-n", ns, "-o", "json"]))!.AsObject();

    private static List<string> Rules(JsonObject role) =>
        role["rules"]!.AsArray().Select(r => $"{r!["apiGroups"]![0]}/{r["resources"]![0]}:{string.Join(",", r["verbs"]!.AsArray().Select(v => (string)v!))}").ToList();

    [Fact]
    public void TheSnapshotManifestAppliesWithKubectlAndCreatesTheAccountRoleAndBinding()
    {
        var output = Apply(Manifest("Get-KbRbacManifest -Role Snapshot"));

        Assert.Contains("namespace/kubebackup-system", output);
        var account = Get("serviceaccounts", "kubebackup-system", "kubebackup");
        Assert.Equal("KubeBackup", (string?)account["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]);
        Assert.Equal("snapshot", (string?)account["metadata"]!["labels"]!["app.kubernetes.io/component"]);
        var role = Get("clusterroles", null, "kubebackup-snapshot");
        Assert.Equal(
        [
            "/persistentvolumeclaims:get,list",
            "/persistentvolumes:get",
            "storage.k8s.io/storageclasses:list",
            "snapshot.storage.k8s.io/volumesnapshotclasses:list",
            "snapshot.storage.k8s.io/volumesnapshots:get,list,create,delete",
            "snapshot.storage.k8s.io/volumesnapshotcontents:get",
        ], Rules(role));
        var binding = Get("clusterrolebindings", null, "kubebackup-snapshot");
        Assert.Equal("kubebackup-snapshot", (string?)binding["roleRef"]!["name"]);
        Assert.Equal("kubebackup", (string?)binding["subjects"]![0]!["name"]);
        Assert.Equal("kubebackup-system", (string?)binding["subjects"]![0]!["namespace"]);

        // Applying again changes nothing: the manifest is declarative.
        Assert.DoesNotContain("created", Apply(Manifest("Get-KbRbacManifest Snapshot")));
    }

    [Fact]
    public void TargetNamespacesGetARoleAndBindingEach()
    {
        Kubectl.Run(Cluster.KubeconfigPath, "create", "namespace", "prod");
        Kubectl.Run(Cluster.KubeconfigPath, "create", "namespace", "staging");

        Apply(Manifest("Get-KbRbacManifest -Role Snapshot -ServiceAccount snapper -Namespace default -TargetNamespace prod, staging"));

        Assert.Equal("snapper", (string?)Get("serviceaccounts", "default", "snapper")["metadata"]!["name"]);
        foreach (var ns in new[] { "prod", "staging" })
        {
            Assert.Equal(["/persistentvolumeclaims:get,list", "snapshot.storage.k8s.io/volumesnapshots:get,list,create,delete"],
                Rules(Get("roles", ns, "kubebackup-snapshot")));
            var binding = Get("rolebindings", ns, "kubebackup-snapshot");
            Assert.Equal("Role", (string?)binding["roleRef"]!["kind"]);
            Assert.Equal("default", (string?)binding["subjects"]![0]!["namespace"]);
        }
        Assert.DoesNotContain(Rules(Get("clusterroles", null, "kubebackup-snapshot")), r => r.Contains("persistentvolumeclaims") || r.Contains("/volumesnapshots:"));
    }

    [Theory]
    [InlineData("-ServiceAccount 'Bad_Name'", "Bad_Name")]
    [InlineData("-Namespace 'ops.team'", "ops.team")]
    [InlineData("-TargetNamespace 'prod', 'Staging'", "Staging")]
    public void ANameThatIsNotADnsLabelStopsTheCommandWithRbacManifestInvalid(string arguments, string bad)
    {
        // Only a terminating error reaches catch; a non-terminating one would leave the output empty.
        var result = Session.Invoke($"try {{ Get-KbRbacManifest -Role Snapshot {arguments}; 'not stopped' }} catch {{ $_ }}");

        var error = Assert.IsType<ErrorRecord>(Assert.Single(result.Output).BaseObject);
        Assert.Equal("RbacManifestInvalid,KubeBackup.Commands.GetKbRbacManifestCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(bad, error.TargetObject);
        Assert.Contains($"'{bad}'", error.Exception.Message);
    }

    [Fact]
    public void AnUnknownRoleIsRejectedByParameterValidation()
    {
        var error = Session.Invoke("Get-KbRbacManifest -Role Everything").SingleError();
        Assert.StartsWith("ParameterArgumentValidationError", error.FullyQualifiedErrorId);
    }
}
