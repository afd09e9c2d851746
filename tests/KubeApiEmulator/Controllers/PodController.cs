using System.Text.Json.Nodes;
using KubeApiEmulator.Hosting;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Controllers;

/// <summary>
/// The scheduler and kubelet: a pending pod is bound to the node and, after the workload delay, runs with
/// ready containers (or runs without becoming ready when workloads are configured never to be ready).
/// </summary>
public sealed class PodController : IController
{
    private const string PodKey = "/pods";
    private readonly HashSet<(string Ns, string Name)> _scheduled = [];
    private int _nextIp = 10;

    public void OnEvent(WatchEvent e, ControllerContext context)
    {
        if (e.StorageKey == PodKey && e.Type != WatchEventType.Deleted)
            Consider(e.Object, context);
    }

    public void Resync(ControllerContext context)
    {
        foreach (var pod in context.Service.Store.Snapshot(PodKey).Set)
            Consider(pod, context);
    }

    private void Consider(StoredObject pod, ControllerContext context)
    {
        if (!context.Settings.Workloads)
            return;
        var node = pod.ToNode();
        var ready = !context.Settings.WorkloadsNeverReady;
        if (node.At("metadata.deletionTimestamp") is not null
            || node.Text("status.phase") == "Running" && IsReady(node) == ready
            || node.Text("status.phase") is "Succeeded" or "Failed"
            || !_scheduled.Add((pod.Namespace, pod.Name)))
            return;
        context.Schedule(context.Settings.WorkloadReadyDelay, () =>
        {
            _scheduled.Remove((pod.Namespace, pod.Name));
            if (context.Settings.Workloads)
                Run(pod.Namespace, pod.Name, context);
        });
    }

    private static bool IsReady(JsonObject pod) =>
        (pod.At("status.conditions") as JsonArray ?? []).Any(c => c.Text("type") == "Ready" && c.Text("status") == "True");

    private void Run(string ns, string name, ControllerContext context)
    {
        var def = context.Def("", "pods")!;
        if (context.Get(def, ns, name) is { } current && string.IsNullOrEmpty(current.Text("spec.nodeName")))
            context.Mutate(def, ns, name, p =>
            {
                p.Child("spec")["nodeName"] = ClusterBootstrap.NodeName;
                return true;
            }, status: false);
        var ready = !context.Settings.WorkloadsNeverReady;
        var now = Timestamps.Format(context.Now);
        context.Mutate(def, ns, name, p =>
        {
            if (p.Text("status.phase") == "Running" && IsReady(p) == ready)
                return false;
            var status = p.Child("status");
            var readyText = ready ? "True" : "False";
            status["phase"] = "Running";
            status["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", "True", now),
                Condition("Initialized", "True", now),
                Condition("Ready", readyText, now),
                Condition("ContainersReady", readyText, now),
                Condition("PodScheduled", "True", now));
            status["hostIP"] = "172.18.0.2";
            status["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = "172.18.0.2" });
            var ip = status.Text("podIP") ?? $"10.244.0.{_nextIp++ % 250 + 2}";
            status["podIP"] = ip;
            status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip });
            status.SetDefault("startTime", now);
            status["containerStatuses"] = new JsonArray((p.At("spec.containers") as JsonArray ?? []).OfType<JsonObject>().Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Text("name"),
                ["image"] = c.Text("image"),
                ["imageID"] = "docker.io/library/" + c.Text("image"),
                ["containerID"] = "containerd://" + Guid.NewGuid().ToString("N"),
                ["ready"] = ready,
                ["started"] = true,
                ["restartCount"] = 0,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
            }).ToArray());
            return true;
        }, status: true);
    }

    private static JsonObject Condition(string type, string status, string now) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastProbeTime"] = null,
        ["lastTransitionTime"] = now,
    };
}
