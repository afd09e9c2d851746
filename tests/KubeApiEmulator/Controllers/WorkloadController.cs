using System.Text.Json.Nodes;
using KubeApiEmulator.Resources;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Controllers;

/// <summary>
/// Deployment, StatefulSet, ReplicaSet and DaemonSet status follows the spec after a delay, as if the pods
/// started and became ready (or never do, when so configured globally or by name). Fields that are zero are omitted, as in the real status.
/// </summary>
public sealed class WorkloadController : IController
{
    private static readonly string[] Keys = ["apps/deployments", "apps/statefulsets", "apps/replicasets", "apps/daemonsets"];
    private readonly HashSet<(string Key, string Ns, string Name)> _scheduled = [];

    public void OnEvent(WatchEvent e, ControllerContext context)
    {
        if (e.Type != WatchEventType.Deleted && Keys.Contains(e.StorageKey))
            Consider(e.StorageKey, e.Object, context);
    }

    public void Resync(ControllerContext context)
    {
        foreach (var key in Keys)
            foreach (var o in context.Service.Store.Snapshot(key).Set)
                Consider(key, o, context);
    }

    private void Consider(string key, StoredObject o, ControllerContext context)
    {
        if (!context.Settings.Workloads)
            return;
        var def = context.Def("apps", key["apps/".Length..])!;
        var node = o.ToNode();
        if (node["status"].SameAs(Desired(def, node, context)))
            return;
        if (!_scheduled.Add((key, o.Namespace, o.Name)))
            return;
        context.Schedule(context.Settings.WorkloadReadyDelay, () =>
        {
            _scheduled.Remove((key, o.Namespace, o.Name));
            if (!context.Settings.Workloads)
                return;
            context.Mutate(def, o.Namespace, o.Name, current =>
            {
                var desired = Desired(def, current, context);
                if (current["status"].SameAs(desired))
                    return false;
                current["status"] = desired;
                return true;
            }, status: true);
        });
    }

    private static JsonObject Desired(ResourceDefinition def, JsonObject obj, ControllerContext context)
    {
        var key = obj.Text("metadata.namespace") + "/" + obj.Text("metadata.name");
        var ready = !(context.Settings.WorkloadsNeverReady || NameKeys.Lookup(context.Settings.WorkloadsNeverReadyByName, key));
        var generation = obj.Long("metadata.generation") ?? 1;
        var status = new JsonObject { ["observedGeneration"] = generation };
        var existing = obj["status"] as JsonObject;
        if (def.Kind == "DaemonSet")
        {
            var nodes = context.Service.Store.Snapshot("/nodes").Set.Count;
            status["currentNumberScheduled"] = nodes;
            status["desiredNumberScheduled"] = nodes;
            status["numberMisscheduled"] = 0;
            status["numberReady"] = ready ? nodes : 0;
            status["updatedNumberScheduled"] = nodes;
            if (ready)
                status["numberAvailable"] = nodes;
            else
                status["numberUnavailable"] = nodes;
            return status;
        }
        var replicas = obj.Long("spec.replicas") ?? 1;
        Put(status, "replicas", replicas);
        Put(status, "updatedReplicas", replicas);
        Put(status, "readyReplicas", ready ? replicas : 0);
        Put(status, "availableReplicas", ready ? replicas : 0);
        if (!ready)
            Put(status, "unavailableReplicas", def.Kind == "Deployment" ? replicas : 0);
        var hash = Hash(obj.At("spec.template")?.ToJsonString() ?? "");
        switch (def.Kind)
        {
            case "Deployment":
                var rsName = $"{obj.Text("metadata.name")}-{hash}";
                status["conditions"] = new JsonArray(
                    Condition(existing, "Available", ready || replicas == 0 ? "True" : "False",
                        ready || replicas == 0 ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                        ready || replicas == 0 ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", context),
                    Condition(existing, "Progressing", "True", ready ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                        ready ? $"ReplicaSet \"{rsName}\" has successfully progressed." : $"ReplicaSet \"{rsName}\" is progressing.", context));
                break;
            case "StatefulSet":
                Put(status, "currentReplicas", replicas);
                status["currentRevision"] = $"{obj.Text("metadata.name")}-{hash}";
                status["updateRevision"] = $"{obj.Text("metadata.name")}-{hash}";
                status["collisionCount"] = 0;
                break;
            case "ReplicaSet":
                Put(status, "fullyLabeledReplicas", replicas);
                break;
        }
        return status;
    }

    private static void Put(JsonObject status, string field, long value)
    {
        if (value != 0)
            status[field] = value;
    }

    /// <summary>Keeps the transition times of conditions whose status did not change.</summary>
    private static JsonObject Condition(JsonObject? existing, string type, string status, string reason, string message, ControllerContext context)
    {
        var previous = (existing?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Text("type") == type);
        var now = Timestamps.Format(context.Now);
        var keep = previous is not null && previous.Text("status") == status;
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastUpdateTime"] = keep && previous!.Text("reason") == reason ? previous.Text("lastUpdateTime") : now,
            ["lastTransitionTime"] = keep ? previous!.Text("lastTransitionTime") : now,
            ["reason"] = reason,
            ["message"] = message,
        };
    }

    private static string Hash(string text)
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var h = 2166136261u;
        foreach (var c in text)
            h = (h ^ c) * 16777619u;
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[(int)(h % (uint)alphabet.Length)];
            h = h / (uint)alphabet.Length + (uint)(i * 7919);
        }
        return new string(chars);
    }
}
