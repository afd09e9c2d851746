using System.Text.Json.Nodes;
using k8s;

namespace KubeBackup.Benchmarks.Scenarios.Restore;

/// <summary>
/// A fresh emulator compiles its code paths on their first requests; every method would pay that in its timed part, the
/// fastest most. Before the clock starts, one object of each type to restore is created beside the restore's (in the
/// namespace <see cref="Namespace"/>, cluster-scoped ones renamed with it as prefix; CRDs left out), then read, listed
/// and listed by namespace as a restore's comparison lists. Best effort: answers are not checked.
/// </summary>
public static class TargetWarmUp
{
    public const string Namespace = "kb-bench-warm-up";

    public static async Task RunAsync(IKubernetes client, IReadOnlyList<IReadOnlyList<CreateRequest>> tiers)
    {
        var kubernetes = (Kubernetes)client;
        var ct = CancellationToken.None;
        await RawCreateFloor.SendAsync(kubernetes, HttpMethod.Post, "/api/v1/namespaces", System.Text.Encoding.UTF8.GetBytes(
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = Namespace } }.ToJsonString()), ct);
        foreach (var create in tiers.SelectMany(t => t).DistinctBy(c => c.Type.FullName).Where(c => c.Type.Resource != "customresourcedefinitions"))
        {
            var item = JsonNode.Parse(create.Body)!.AsObject();
            var metadata = item["metadata"]!.AsObject();
            var ns = create.Namespace is null ? null : Namespace;
            var name = create.Namespace is null ? $"{Namespace}-{metadata["name"]}" : metadata["name"]!.GetValue<string>();
            metadata["name"] = name;
            if (ns is not null)
            {
                metadata["namespace"] = ns;
            }
            var path = CreateRequest.PathOf(create.Type, ns);
            await RawCreateFloor.SendAsync(kubernetes, HttpMethod.Post, path, System.Text.Encoding.UTF8.GetBytes(item.ToJsonString()), ct);
            await RawCreateFloor.SendAsync(kubernetes, HttpMethod.Get, path + "/" + name, null, ct);
            await RawCreateFloor.SendAsync(kubernetes, HttpMethod.Get, path + "?limit=500", null, ct);
            await RawCreateFloor.SendAsync(kubernetes, HttpMethod.Get, CreateRequest.PathOf(create.Type, null) + "?limit=500", null, ct);
        }
    }
}
