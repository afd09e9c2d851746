using System.Text.Json.Nodes;

namespace KubeApiEmulator.Semantics;

/// <summary>The defaulting the real server applies to the kinds backups and restores touch most.</summary>
public static class Defaults
{
    /// <summary>
    /// The server never stores stringData: its conversion writes each entry into data (base64), over a data entry of
    /// the same key, and the object it returns and lists has data only.
    /// </summary>
    private static void MergeStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData)
        {
            secret.Remove("stringData");
            return;
        }
        var data = secret["data"] as JsonObject ?? new JsonObject();
        foreach (var (key, value) in stringData.ToList())
        {
            data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes((string?)value ?? ""));
        }
        secret["data"] = data;
        secret.Remove("stringData");
    }

    public static void Apply(string group, string kind, JsonObject obj)
    {
        switch (group, kind)
        {
            case ("", "Namespace"):
                obj.Child("spec").SetDefault("finalizers", new JsonArray("kubernetes"));
                obj.Metadata().Child("labels")["kubernetes.io/metadata.name"] = obj.Text("metadata.name");
                break;
            case ("", "Secret"):
                obj.SetDefault("type", "Opaque");
                MergeStringData(obj);
                break;
            case ("", "Service"):
                Service(obj.Child("spec"));
                break;
            case ("", "Pod"):
                PodSpec(obj.Child("spec"));
                obj.Child("spec").SetDefault("serviceAccountName", "default");
                obj.Child("spec").SetDefault("serviceAccount", obj.Text("spec.serviceAccountName"));
                obj.Child("spec").SetDefault("enableServiceLinks", true);
                obj.Child("spec").SetDefault("priority", 0);
                break;
            case ("", "PersistentVolumeClaim"):
                obj.Child("spec").SetDefault("volumeMode", "Filesystem");
                break;
            case ("", "PersistentVolume"):
                obj.Child("spec").SetDefault("persistentVolumeReclaimPolicy", "Retain");
                obj.Child("spec").SetDefault("volumeMode", "Filesystem");
                break;
            case ("", "ServiceAccount"):
                break;
            case ("apps", "Deployment"):
            {
                var spec = obj.Child("spec");
                spec.SetDefault("replicas", 1);
                spec.SetDefault("strategy", new JsonObject
                {
                    ["type"] = "RollingUpdate",
                    ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = "25%", ["maxSurge"] = "25%" },
                });
                spec.SetDefault("revisionHistoryLimit", 10);
                spec.SetDefault("progressDeadlineSeconds", 600);
                Template(spec);
                break;
            }
            case ("apps", "StatefulSet"):
            {
                var spec = obj.Child("spec");
                spec.SetDefault("replicas", 1);
                spec.SetDefault("podManagementPolicy", "OrderedReady");
                spec.SetDefault("updateStrategy", new JsonObject
                {
                    ["type"] = "RollingUpdate",
                    ["rollingUpdate"] = new JsonObject { ["partition"] = 0 },
                });
                spec.SetDefault("revisionHistoryLimit", 10);
                spec.SetDefault("persistentVolumeClaimRetentionPolicy", new JsonObject
                {
                    ["whenDeleted"] = "Retain",
                    ["whenScaled"] = "Retain",
                });
                Template(spec);
                break;
            }
            case ("apps", "ReplicaSet"):
                obj.Child("spec").SetDefault("replicas", 1);
                Template(obj.Child("spec"));
                break;
            case ("apps", "DaemonSet"):
            {
                var spec = obj.Child("spec");
                spec.SetDefault("updateStrategy", new JsonObject
                {
                    ["type"] = "RollingUpdate",
                    ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 1, ["maxSurge"] = 0 },
                });
                spec.SetDefault("revisionHistoryLimit", 10);
                Template(spec);
                break;
            }
            case ("batch", "Job"):
            {
                var spec = obj.Child("spec");
                spec.SetDefault("parallelism", 1);
                spec.SetDefault("completions", 1);
                spec.SetDefault("backoffLimit", 6);
                spec.SetDefault("completionMode", "NonIndexed");
                spec.SetDefault("suspend", false);
                Template(spec);
                break;
            }
            case ("batch", "CronJob"):
            {
                var spec = obj.Child("spec");
                spec.SetDefault("concurrencyPolicy", "Allow");
                spec.SetDefault("suspend", false);
                spec.SetDefault("successfulJobsHistoryLimit", 3);
                spec.SetDefault("failedJobsHistoryLimit", 1);
                if (spec["jobTemplate"] is JsonObject jt && jt["spec"] is JsonObject jobSpec)
                    Template(jobSpec);
                break;
            }
            case ("storage.k8s.io", "StorageClass"):
                obj.SetDefault("reclaimPolicy", "Delete");
                obj.SetDefault("volumeBindingMode", "Immediate");
                break;
        }
    }

    private static void Template(JsonObject workloadSpec)
    {
        if (workloadSpec["template"] is JsonObject template)
            PodSpec(template.Child("spec"));
    }

    private static void PodSpec(JsonObject spec)
    {
        spec.SetDefault("restartPolicy", "Always");
        spec.SetDefault("terminationGracePeriodSeconds", 30);
        spec.SetDefault("dnsPolicy", "ClusterFirst");
        spec.SetDefault("securityContext", new JsonObject());
        spec.SetDefault("schedulerName", "default-scheduler");
        foreach (var list in new[] { "containers", "initContainers" })
        {
            if (spec[list] is not JsonArray containers)
                continue;
            foreach (var c in containers.OfType<JsonObject>())
            {
                var image = c.Text("image") ?? "";
                var lastSegment = image[(image.LastIndexOf('/') + 1)..];
                var latest = !lastSegment.Contains(':') && !image.Contains('@') || lastSegment.EndsWith(":latest", StringComparison.Ordinal);
                c.SetDefault("imagePullPolicy", latest ? "Always" : "IfNotPresent");
                c.SetDefault("terminationMessagePath", "/dev/termination-log");
                c.SetDefault("terminationMessagePolicy", "File");
                c.SetDefault("resources", new JsonObject());
                if (c["ports"] is JsonArray ports)
                    foreach (var p in ports.OfType<JsonObject>())
                        p.SetDefault("protocol", "TCP");
            }
        }
    }

    private static void Service(JsonObject spec)
    {
        spec.SetDefault("type", "ClusterIP");
        var type = spec.Text("type");
        if (type == "ExternalName")
            return;
        spec.SetDefault("sessionAffinity", "None");
        spec.SetDefault("internalTrafficPolicy", "Cluster");
        if (type is "NodePort" or "LoadBalancer")
            spec.SetDefault("externalTrafficPolicy", "Cluster");
        if (type == "LoadBalancer")
            spec.SetDefault("allocateLoadBalancerNodePorts", true);
        if (spec["ports"] is JsonArray ports)
        {
            foreach (var p in ports.OfType<JsonObject>())
            {
                p.SetDefault("protocol", "TCP");
                if (p["targetPort"] is null && p["port"] is { } port)
                    p["targetPort"] = port.DeepClone();
            }
        }
    }
}
