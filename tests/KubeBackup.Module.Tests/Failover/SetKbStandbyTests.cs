using System.Management.Automation;
using System.Text.Json.Nodes;
using KubeBackup.Module.Tests.Restores;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Failover;

/// <summary>Set-KbStandby through the hosted engine against an emulator (out of process); workloads read back with kubectl.</summary>
[Collection(ModuleCollection.Name)]
public sealed class SetKbStandbyTests : IAsyncLifetime, IDisposable
{
    private const string Workloads = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: prod}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: empty}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: prod}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: broken, namespace: prod, annotations: {original-replicas: three}}
        spec:
          replicas: 2
          selector: {matchLabels: {app: broken}}
          template: {metadata: {labels: {app: broken}}, spec: {containers: [{name: broken, image: nginx}]}}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: prod}
        spec:
          replicas: 2
          serviceName: db
          selector: {matchLabels: {app: db}}
          template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: postgres}]}}
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("kb-standby-").FullName;
    private readonly RecordingHost _host = new();
    private EmulatorProcess? _cluster;
    private PowerShellSession? _session;

    private PowerShellSession Session => _session!;

    private EmulatorProcess Cluster => _cluster!;

    public async Task InitializeAsync()
    {
        var file = Path.Combine(_directory, "workloads.yaml");
        File.WriteAllText(file, Workloads);
        _session = PowerShellSession.Start(host: _host);
        _cluster = await EmulatorProcess.StartAsync("prod", ["--load", file]);
        Session.Invoke("$env:KUBECONFIG = $args[0]", Cluster.KubeconfigPath).ThrowIfErrors();
    }

    public async Task DisposeAsync()
    {
        _session?.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>spec.replicas and the annotation of a workload, as kubectl reads them.</summary>
    private (int? Replicas, string? Annotation) Live(string kind, string name, string annotation = "original-replicas")
    {
        var item = JsonNode.Parse(Kubectl.Run(Cluster.KubeconfigPath, "get", kind, name, "-n", "prod", "-o", "json"))!;
        return ((int?)item["spec"]?["replicas"], (string?)item["metadata"]?["annotations"]?[annotation]);
    }

    private static string Text(PSObject o, string property) => o.Properties[property]?.Value?.ToString() ?? "";

    private static PSObject ResultOf(PsResult result, string name) => Assert.Single(result.Output, o => Text(o, "Name") == name);

    [Fact]
    public void RecordsAndScalesDownAndABadAnnotationIsANonTerminatingErrorThatLeavesTheWorkloadAlone()
    {
        var result = Session.Invoke("Set-KbStandby -Namespace prod");

        Assert.Equal(3, result.Output.Count);
        Assert.Equal("KubeBackup.Core.Failover.StandbyResult", result.Output[0].TypeNames[0]);
        var web = ResultOf(result, "web");
        Assert.Equal(("Deployment", "3", "ScaledDown"), (Text(web, "Kind"), Text(web, "RecordedReplicas"), Text(web, "Action")));
        Assert.Equal(("StatefulSet", "2"), (Text(ResultOf(result, "db"), "Kind"), Text(ResultOf(result, "db"), "RecordedReplicas")));
        Assert.Equal("Failed", Text(ResultOf(result, "broken"), "Action"));

        var error = result.SingleError();
        Assert.Equal("StandbyAnnotationInvalid,KubeBackup.Commands.SetKbStandbyCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal("prod/Deployment/broken", error.TargetObject.ToString());

        Assert.Equal((0, "3"), Live("deployment", "web"));
        Assert.Equal((0, "2"), Live("statefulset", "db"));
        Assert.Equal((2, "three"), Live("deployment", "broken"));
    }

    [Fact]
    public void RunningTwiceKeepsTheRecordedCount()
    {
        Session.Invoke("Set-KbStandby -Namespace prod -ErrorAction SilentlyContinue");
        var second = Session.Invoke("Set-KbStandby -Namespace prod -ErrorAction SilentlyContinue");

        var web = ResultOf(second, "web");
        Assert.Equal(("AlreadyStandby", "3", "0"), (Text(web, "Action"), Text(web, "RecordedReplicas"), Text(web, "PreviousReplicas")));
        Assert.Equal((0, "3"), Live("deployment", "web"));
    }

    [Fact]
    public void WhatIfListsEachWorkloadAndTheCountItWouldRecordAndChangesNothing()
    {
        var result = Session.Invoke("Set-KbStandby -Namespace prod -WhatIf");

        var whatIf = _host.Lines.Where(l => l.StartsWith("What if:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, whatIf.Count);
        Assert.Contains(whatIf, l => l.Contains("Record original-replicas=3 and scale from 3 to 0", StringComparison.Ordinal) && l.Contains("Deployment prod/web", StringComparison.Ordinal));
        Assert.Contains(whatIf, l => l.Contains("Record original-replicas=2", StringComparison.Ordinal) && l.Contains("StatefulSet prod/db", StringComparison.Ordinal));
        Assert.Equal("broken", Text(Assert.Single(result.Output), "Name"));
        Assert.Equal((3, (string?)null), Live("deployment", "web"));
        Assert.Equal((2, (string?)null), Live("statefulset", "db"));
    }

    [Fact]
    public void ThePrefixNamesTheAnnotation()
    {
        Session.Invoke("Set-KbStandby -Namespace prod -AnnotationPrefix 'kubebackup.io/'").ThrowIfErrors();

        Assert.Equal((0, "3"), Live("deployment", "web", "kubebackup.io/original-replicas"));
        Assert.Equal((0, (string?)null), Live("deployment", "web"));
        Assert.Equal((0, "2"), Live("deployment", "broken", "kubebackup.io/original-replicas"));
    }

    [Fact]
    public void AMissingNamespaceIsAnErrorAndAnEmptyOneAWarning()
    {
        var result = Session.Invoke("Set-KbStandby -Namespace nope, empty");

        Assert.Empty(result.Output);
        Assert.Equal("NamespaceNotFound,KubeBackup.Commands.SetKbStandbyCommand", result.SingleError().FullyQualifiedErrorId);
        Assert.Contains(result.Warnings, w => w.Contains("'empty' has no Deployments or StatefulSets", StringComparison.Ordinal));
    }

    [Fact]
    public void ANamespaceAFailoverPromotedIsAStandbyAgainAfterwards()
    {
        foreach (var ns in new[] { "prod", "empty" })
        {
            Kubectl.Run(Cluster.KubeconfigPath, "annotate", "namespace", ns, "kubebackup.io/promoted=2026-11-24T01:00:00Z");
        }
        string Promoted(string ns) => Kubectl.Run(Cluster.KubeconfigPath, "get", "namespace", ns, "-o", "jsonpath={.metadata.annotations.kubebackup\\.io/promoted}");

        Session.Invoke("Set-KbStandby -Namespace prod, empty -WhatIf");
        Assert.Contains(_host.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal) && l.Contains("Remove the mark of the failover at 2026-11-24T01:00:00Z", StringComparison.Ordinal) && l.Contains("Namespace empty", StringComparison.Ordinal));
        Assert.Equal("2026-11-24T01:00:00Z", Promoted("prod"));

        var result = Session.Invoke("Set-KbStandby -Namespace prod, empty -ErrorAction SilentlyContinue -Verbose");

        Assert.Equal(("", ""), (Promoted("prod"), Promoted("empty")));
        Assert.Contains(result.Verbose, v => v.Contains("Namespace 'empty' was promoted by a failover at 2026-11-24T01:00:00Z; it is a standby again.", StringComparison.Ordinal));
        Assert.Equal((0, "3"), Live("deployment", "web"));
    }
}
