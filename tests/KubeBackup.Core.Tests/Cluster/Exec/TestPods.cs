using System.Text.Json.Nodes;
using KubeApiEmulator;

namespace KubeBackup.Core.Tests.Cluster.Exec;

/// <summary>Pods in the emulator for exec and hook tests. The emulator's kubelet runs a created pod after a short delay.</summary>
internal static class TestPods
{
    public static JsonObject Pod(string @namespace, string name, string[] containers, JsonObject? labels = null, JsonObject? annotations = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = @namespace,
            ["labels"] = labels ?? new JsonObject(),
            ["annotations"] = annotations ?? new JsonObject(),
        },
        ["spec"] = new JsonObject
        {
            ["containers"] = new JsonArray([.. containers.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["image"] = $"{c}:1" })]),
        },
    };

    /// <summary>Creates the pod (and its namespace) and returns it as a list would, once it is Running.</summary>
    public static async Task<JsonObject> RunAsync(EmulatorServer emulator, JsonObject pod)
    {
        var created = Create(emulator, pod);
        var name = created["metadata"]!["name"]!.GetValue<string>();
        var @namespace = created["metadata"]!["namespace"]!.GetValue<string>();
        var until = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < until)
        {
            var current = emulator.Cluster.Get("v1", "Pod", @namespace, name)!;
            if (current["status"]?["phase"]?.GetValue<string>() == "Running")
            {
                return current;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"The emulator did not run pod {@namespace}/{name}.");
    }

    /// <summary>Creates the pod (and its namespace) as it is, without waiting for it to run.</summary>
    public static JsonObject Create(EmulatorServer emulator, JsonObject pod)
    {
        var @namespace = pod["metadata"]!["namespace"]!.GetValue<string>();
        if (emulator.Cluster.Get("v1", "Namespace", null, @namespace) is null)
        {
            emulator.Cluster.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = @namespace } });
        }

        return emulator.Cluster.Create(pod);
    }
}
