using System.Text.Json.Nodes;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Restore.Transforms;

/// <summary>
/// Turns a backed-up object into the object to create in the target cluster (DESIGN §4): what the source cluster's
/// server set is dropped, per-kind fixes give the target cluster's controllers their say, and every object is labelled
/// with the backup and restore names. Pure: no I/O, and the input is never modified.
/// </summary>
public static class RestoreTransform
{
    private static readonly string[] ServerMetadata =
    [
        "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
        "selfLink", "ownerReferences", "managedFields",
    ];

    private const string Rbac = "rbac.authorization.k8s.io";

    /// <summary>The object to create (a new JsonObject), or why the item is not restored.</summary>
    public static TransformResult Prepare(ItemKey key, JsonObject item, RestoreContext context)
    {
        var fullName = key.Group.Length == 0 ? key.Resource : $"{key.Resource}.{key.Group}";
        var skip = NeverRestored.ReasonFor(key)
            ?? ControllerSkipReason(key, item, context)
            ?? fullName switch
            {
                "secrets" => ServiceAccountTokens.SkipReason(item),
                "endpointslices.discovery.k8s.io" => NeverRestored.EndpointSliceReason(item),
                "pods" => PodTransform.SkipReason(item),
                "persistentvolumes" => VolumeTransforms.SkipReason(item, context),
                _ => null,
            };
        if (skip is not null)
        {
            return TransformResult.Skip(skip);
        }

        var copy = item.DeepClone().AsObject();
        var metadata = Json.ObjectOrNew(copy, "metadata");
        var originalUid = Json.String(metadata["uid"]);
        foreach (var field in ServerMetadata)
        {
            metadata.Remove(field);
        }
        if (!metadata.ContainsKey("name"))
        {
            metadata["name"] = key.Name;
        }
        if (TargetNamespace(key, context) is { } ns)
        {
            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }
        if (!context.RestoresStatusOf(fullName))
        {
            copy.Remove("status");
        }
        var labels = Json.ObjectOrNew(metadata, "labels");
        labels[RestoreLabels.BackupName] = RestoreLabels.Value(context.BackupName);
        labels[RestoreLabels.RestoreName] = RestoreLabels.Value(context.RestoreName);

        switch (fullName)
        {
            case "namespaces":
                NamespaceTransform.Prepare(copy, key.Name, context);
                break;
            case "services":
                ServiceTransform.Prepare(copy, context);
                break;
            case "jobs.batch":
                JobTransform.Prepare(copy, originalUid);
                break;
            case "persistentvolumeclaims":
                VolumeTransforms.PrepareClaim(copy, key.Namespace!, key.Name, context);
                break;
            case "persistentvolumes":
                VolumeTransforms.PrepareVolume(copy, context);
                break;
            case "secrets":
                ServiceAccountTokens.PrepareSecret(copy);
                break;
            case "serviceaccounts":
                ServiceAccountTokens.PrepareServiceAccount(copy);
                break;
            case "rolebindings." + Rbac or "clusterrolebindings." + Rbac:
                RoleBindingTransform.Prepare(copy, context);
                break;
            case "pods":
                PodTransform.Prepare(copy);
                break;
            case "deployments.apps" or "statefulsets.apps" when context.StandbyAnnotation is { } annotation:
                StandbyTransform.Prepare(copy, annotation);
                break;
        }
        return TransformResult.Create(copy);
    }

    /// <summary>The namespace an item is created in: its mapped namespace; null for cluster-scoped items (the Namespace
    /// object included, whose own name follows the mapping).</summary>
    public static string? TargetNamespace(ItemKey key, RestoreContext context) =>
        key.Namespace is { } ns ? context.TargetNamespace(ns) : null;

    /// <summary>
    /// An object whose controlling owner is restored too is left to that controller: the owner recreates it (a
    /// ReplicaSet its pods, a Deployment its ReplicaSets, a CronJob its Jobs) with the new owner's uid, where a restored
    /// copy would be an orphan beside the controller's own. Owners are in the item's namespace, or cluster-scoped.
    /// </summary>
    private static string? ControllerSkipReason(ItemKey key, JsonObject item, RestoreContext context)
    {
        foreach (var reference in Json.Array(item["metadata"], "ownerReferences") ?? [])
        {
            if (!Json.IsTrue(Json.Field(reference, "controller"))
                || Json.String(Json.Field(reference, "apiVersion")) is not { } apiVersion
                || Json.String(Json.Field(reference, "kind")) is not { } kind
                || Json.String(Json.Field(reference, "name")) is not { } name)
            {
                continue;
            }
            if ((key.Namespace is not null && context.IsRestored(apiVersion, kind, key.Namespace, name))
                || context.IsRestored(apiVersion, kind, null, name))
            {
                return $"left to its controller {kind} '{name}', which this restore also restores";
            }
        }
        return null;
    }
}
