using KubeApiEmulator.Tables;

namespace KubeApiEmulator.Resources;

/// <summary>The built-in resources of a typical cluster, as data.</summary>
public static class BuiltinResources
{
    public static IReadOnlyList<ResourceDefinition> All { get; } = Build();

    private static ResourceDefinition Core(string plural, string kind, bool namespaced) =>
        new() { Group = "", Version = "v1", Plural = plural, Kind = kind, Namespaced = namespaced };

    private static ResourceDefinition In(string group, string version, string plural, string kind, bool namespaced) =>
        new() { Group = group, Version = version, Plural = plural, Kind = kind, Namespaced = namespaced };

    private static IReadOnlyList<ResourceDefinition> Build()
    {
        string[] all = ["all"];
        return
        [
            Core("namespaces", "Namespace", false) with
            {
                ShortNames = ["ns"], HasStatus = true, NameRule = NameRule.Label, ReturnsDeletedObject = true,
                Verbs = ResourceVerbs.NoCollectionDelete, ExtraSubresources = ["finalize"], SelectableFields = ["status.phase"],
                Columns = [TableColumns.NamespaceStatus],
            },
            Core("configmaps", "ConfigMap", true) with { ShortNames = ["cm"], Columns = [TableColumns.DataCount] },
            Core("secrets", "Secret", true) with { SelectableFields = ["type"], Columns = [TableColumns.SecretType, TableColumns.DataCount] },
            Core("serviceaccounts", "ServiceAccount", true) with { ShortNames = ["sa"], ExtraSubresources = ["token"] },
            Core("services", "Service", true) with
            {
                ShortNames = ["svc"], Categories = all, HasStatus = true, NameRule = NameRule.Label, ReturnsDeletedObject = true,
                ExtraSubresources = ["proxy"], Columns = TableColumns.Service,
            },
            Core("endpoints", "Endpoints", true) with { ShortNames = ["ep"] },
            Core("pods", "Pod", true) with
            {
                ShortNames = ["po"], Categories = all, HasStatus = true, ReturnsDeletedObject = true,
                ExtraSubresources = ["attach", "binding", "ephemeralcontainers", "eviction", "exec", "log", "portforward", "proxy", "resize"],
                SelectableFields = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
                Columns = TableColumns.Pod,
            },
            Core("persistentvolumeclaims", "PersistentVolumeClaim", true) with
            {
                ShortNames = ["pvc"], HasStatus = true, ReturnsDeletedObject = true, Columns = TableColumns.Pvc,
            },
            Core("persistentvolumes", "PersistentVolume", false) with
            {
                ShortNames = ["pv"], HasStatus = true, ReturnsDeletedObject = true, Columns = TableColumns.Pv,
            },
            Core("events", "Event", true) with
            {
                ShortNames = ["ev"],
                SelectableFields = ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
            },
            Core("limitranges", "LimitRange", true) with { ShortNames = ["limits"] },
            Core("resourcequotas", "ResourceQuota", true) with { ShortNames = ["quota"], HasStatus = true },
            Core("nodes", "Node", false) with
            {
                ShortNames = ["no"], HasStatus = true, ReturnsDeletedObject = true, ExtraSubresources = ["proxy"],
                SelectableFields = ["spec.unschedulable"],
            },
            Core("replicationcontrollers", "ReplicationController", true) with { ShortNames = ["rc"], Categories = all, HasStatus = true, HasScale = true },
            Core("podtemplates", "PodTemplate", true),

            In("apps", "v1", "deployments", "Deployment", true) with { ShortNames = ["deploy"], Categories = all, HasStatus = true, HasScale = true, Columns = TableColumns.Deployment },
            In("apps", "v1", "statefulsets", "StatefulSet", true) with { ShortNames = ["sts"], Categories = all, HasStatus = true, HasScale = true, Columns = TableColumns.StatefulSet },
            In("apps", "v1", "daemonsets", "DaemonSet", true) with { ShortNames = ["ds"], Categories = all, HasStatus = true },
            In("apps", "v1", "replicasets", "ReplicaSet", true) with { ShortNames = ["rs"], Categories = all, HasStatus = true, HasScale = true },
            In("apps", "v1", "controllerrevisions", "ControllerRevision", true),

            In("batch", "v1", "jobs", "Job", true) with { Categories = all, HasStatus = true },
            In("batch", "v1", "cronjobs", "CronJob", true) with { ShortNames = ["cj"], Categories = all, HasStatus = true },

            In("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true) with { ShortNames = ["hpa"], Categories = all, HasStatus = true },

            In("rbac.authorization.k8s.io", "v1", "roles", "Role", true) with { NameRule = NameRule.PathSegment },
            In("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true) with { NameRule = NameRule.PathSegment },
            In("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false) with { NameRule = NameRule.PathSegment },
            In("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false) with { NameRule = NameRule.PathSegment },

            In("networking.k8s.io", "v1", "ingresses", "Ingress", true) with { ShortNames = ["ing"], HasStatus = true },
            In("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true) with { ShortNames = ["netpol"] },
            In("networking.k8s.io", "v1", "ingressclasses", "IngressClass", false),

            In("storage.k8s.io", "v1", "storageclasses", "StorageClass", false) with { ShortNames = ["sc"] },
            In("storage.k8s.io", "v1", "csinodes", "CSINode", false),
            In("storage.k8s.io", "v1", "csidrivers", "CSIDriver", false),
            In("storage.k8s.io", "v1", "volumeattachments", "VolumeAttachment", false) with { HasStatus = true },

            In("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", false) with { ShortNames = ["pc"] },
            In("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true) with { ShortNames = ["pdb"], HasStatus = true },
            In("events.k8s.io", "v1", "events", "Event", true) with
            {
                ShortNames = ["ev"], StorageGroup = "",
                SelectableFields = ["regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid", "reason", "type"],
            },
            In("coordination.k8s.io", "v1", "leases", "Lease", true),
            In("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true),
            In("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false) with
            {
                ShortNames = ["crd", "crds"], Categories = ["api-extensions"], HasStatus = true,
            },
        ];
    }

    /// <summary>Kinds whose DELETE answers with the object are listed above; everything else answers with a Status.</summary>
    public static ResourceDefinition? Find(string group, string plural) =>
        All.FirstOrDefault(d => d.Group == group && d.Plural == plural);
}
