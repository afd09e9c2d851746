using System.Text.Json.Nodes;

namespace KubeBackup.Benchmarks.Scenarios.Restore;

/// <summary>
/// An object as read from a cluster, made creatable in another one, as a user's script would: the server-set metadata
/// (uid, resourceVersion, creationTimestamp, generation, managedFields) and status dropped, and a Service's cluster IPs,
/// which the target cluster assigns. The floor and the kubectl rows create the same objects so reset.
/// </summary>
public static class ObjectReset
{
    private static readonly string[] ServerMetadata = ["uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink"];

    public static JsonObject Reset(JsonObject item)
    {
        if (item["metadata"] is JsonObject metadata)
        {
            foreach (var field in ServerMetadata)
            {
                metadata.Remove(field);
            }
        }
        item.Remove("status");
        if (item["kind"]?.GetValue<string>() == "Service" && item["spec"] is JsonObject spec)
        {
            spec.Remove("clusterIP");
            spec.Remove("clusterIPs");
        }
        return item;
    }
}
