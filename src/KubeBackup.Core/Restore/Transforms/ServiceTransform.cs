using System.Text.Json.Nodes;

namespace KubeBackup.Core.Restore.Transforms;

/// <summary>Services get the target cluster's addresses: a cluster IP of the source cluster's service range may be
/// taken or out of range there, and so may node ports unless the user asks to keep them.</summary>
internal static class ServiceTransform
{
    private const string Headless = "None";

    public static void Prepare(JsonObject service, RestoreContext context)
    {
        if (Json.Object(service, "spec") is not { } spec)
        {
            return;
        }
        // A headless Service says "None" in both fields, and must keep saying it to stay headless.
        if (Json.String(spec["clusterIP"]) != Headless)
        {
            spec.Remove("clusterIP");
            spec.Remove("clusterIPs");
        }
        if (context.PreserveNodePorts)
        {
            return;
        }
        spec.Remove("healthCheckNodePort");
        foreach (var port in Json.Array(spec, "ports") ?? [])
        {
            (port as JsonObject)?.Remove("nodePort");
        }
    }
}
