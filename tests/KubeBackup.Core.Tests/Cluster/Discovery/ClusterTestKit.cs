using k8s;
using KubeApiEmulator;
using KubeBackup.Core.Cluster;
using KubeBackup.Core.Operations;

namespace KubeBackup.Core.Tests.Cluster.Discovery;

/// <summary>Connects the engine to an in-process emulator and records what it reports.</summary>
internal static class ClusterTestKit
{
    /// <summary>A connection from kubeconfig text alone: no KUBECONFIG, home config or service account is consulted.</summary>
    public static ClusterConnection Open(string kubeconfig) =>
        ClusterConnection.Open(new(kubeconfig), new ClusterEnvironment(null, Path.GetTempPath(), null, null, "/nonexistent"), Path.GetTempPath());

    public static IKubernetes Connect(EmulatorServer emulator) => Open(emulator.KubeconfigYaml).CreateClient();

    public const string WidgetCrds = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList, shortNames: [wg]}
          versions:
          - name: v1
            served: true
            storage: true
            schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
            subresources: {status: {}}
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: globes.example.com
        spec:
          group: example.com
          scope: Cluster
          names: {plural: globes, singular: globe, kind: Globe, listKind: GlobeList}
          versions:
          - name: v1
            served: true
            storage: true
            schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
        """;
}

/// <summary>Collects sink calls from any thread.</summary>
internal sealed class RecordingSink : IOperationSink
{
    private readonly Lock gate = new();
    private readonly List<OperationProgress> progress = [];
    private readonly List<string> verbose = [];
    private readonly List<string> warnings = [];

    public IReadOnlyList<OperationProgress> ProgressReports
    {
        get
        {
            lock (gate)
            {
                return [.. progress];
            }
        }
    }

    public IReadOnlyList<string> VerboseMessages
    {
        get
        {
            lock (gate)
            {
                return [.. verbose];
            }
        }
    }

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (gate)
            {
                return [.. warnings];
            }
        }
    }

    public void Progress(OperationProgress report)
    {
        lock (gate)
        {
            progress.Add(report);
        }
    }

    public void Verbose(string message)
    {
        lock (gate)
        {
            verbose.Add(message);
        }
    }

    public void Warning(string message)
    {
        lock (gate)
        {
            warnings.Add(message);
        }
    }
}
