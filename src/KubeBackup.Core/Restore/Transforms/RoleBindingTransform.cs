using System.Text.Json.Nodes;

namespace KubeBackup.Core.Restore.Transforms;

/// <summary>RoleBindings and ClusterRoleBindings grant to the service accounts of the restored namespaces, wherever the
/// mapping puts them.</summary>
internal static class RoleBindingTransform
{
    public static void Prepare(JsonObject binding, RestoreContext context)
    {
        foreach (var subject in Json.Array(binding, "subjects") ?? [])
        {
            if (subject is JsonObject s && Json.String(s["kind"]) == "ServiceAccount" && Json.String(s["namespace"]) is { } ns)
            {
                s["namespace"] = context.TargetNamespace(ns);
            }
        }
    }
}
