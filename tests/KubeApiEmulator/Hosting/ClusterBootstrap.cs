using System.Text.Json.Nodes;
using KubeApiEmulator.Semantics;

namespace KubeApiEmulator.Hosting;

/// <summary>What a fresh cluster holds: system namespaces, a node, the kubernetes service, storage and RBAC basics.</summary>
public static class ClusterBootstrap
{
    public const string NodeName = "emulator-control-plane";
    public const string CsiDriver = "hostpath.csi.k8s.io";
    public const string DefaultStorageClass = "standard";
    public const string DefaultSnapshotClass = "csi-hostpath-snapclass";

    public static void Seed(ClusterAccess cluster, EmulatorOptions options)
    {
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
            cluster.Create(Obj("v1", "Namespace", null, ns));

        if (options.InstallSnapshotCrds)
            foreach (var crd in SnapshotCrds.All())
                cluster.Create(crd);

        cluster.Create(Node());
        cluster.Create(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Service",
            ["metadata"] = Meta("default", "kubernetes", new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" }),
            ["spec"] = new JsonObject
            {
                ["clusterIP"] = FirstServiceIp(options.ServiceCidr),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = 6443 }),
            },
        });
        cluster.Create(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Endpoints",
            ["metadata"] = Meta("default", "kubernetes", new JsonObject { ["endpointslice.kubernetes.io/skip-mirror"] = "true" }),
            ["subsets"] = new JsonArray(new JsonObject
            {
                ["addresses"] = new JsonArray(new JsonObject { ["ip"] = "172.18.0.2" }),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 6443, ["protocol"] = "TCP" }),
            }),
        });

        var sc = Obj("storage.k8s.io/v1", "StorageClass", null, DefaultStorageClass);
        sc.Metadata()["annotations"] = new JsonObject { ["storageclass.kubernetes.io/is-default-class"] = "true" };
        sc["provisioner"] = CsiDriver;
        sc["reclaimPolicy"] = "Delete";
        sc["volumeBindingMode"] = "Immediate";
        sc["allowVolumeExpansion"] = true;
        cluster.Create(sc);
        var driver = Obj("storage.k8s.io/v1", "CSIDriver", null, CsiDriver);
        driver["spec"] = new JsonObject
        {
            ["attachRequired"] = false, ["podInfoOnMount"] = true, ["fsGroupPolicy"] = "File",
            ["volumeLifecycleModes"] = new JsonArray("Persistent", "Ephemeral"),
        };
        cluster.Create(driver);
        var csiNode = Obj("storage.k8s.io/v1", "CSINode", null, NodeName);
        csiNode["spec"] = new JsonObject
        {
            ["drivers"] = new JsonArray(new JsonObject { ["name"] = CsiDriver, ["nodeID"] = NodeName, ["topologyKeys"] = new JsonArray("topology.hostpath.csi/node") }),
        };
        cluster.Create(csiNode);
        if (options.InstallSnapshotCrds)
        {
            var vsc = Obj("snapshot.storage.k8s.io/v1", "VolumeSnapshotClass", null, DefaultSnapshotClass);
            vsc.Metadata()["annotations"] = new JsonObject { ["snapshot.storage.kubernetes.io/is-default-class"] = "true" };
            vsc["driver"] = CsiDriver;
            vsc["deletionPolicy"] = "Delete";
            cluster.Create(vsc);
        }

        foreach (var (name, value) in new[] { ("system-cluster-critical", 2000000000), ("system-node-critical", 2000001000) })
        {
            var pc = Obj("scheduling.k8s.io/v1", "PriorityClass", null, name);
            pc["value"] = value;
            pc["globalDefault"] = false;
            pc["preemptionPolicy"] = "PreemptLowerPriority";
            pc["description"] = "Used for system critical pods that must not be moved from their current node.";
            cluster.Create(pc);
        }

        var everything = new JsonArray(new JsonObject
        {
            ["apiGroups"] = new JsonArray("*"), ["resources"] = new JsonArray("*"), ["verbs"] = new JsonArray("*"),
        }, new JsonObject { ["nonResourceURLs"] = new JsonArray("*"), ["verbs"] = new JsonArray("*") });
        var admin = Obj("rbac.authorization.k8s.io/v1", "ClusterRole", null, "cluster-admin");
        admin.Metadata()["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" };
        admin["rules"] = everything;
        cluster.Create(admin);
        foreach (var role in new[] { "admin", "edit", "view" })
        {
            var r = Obj("rbac.authorization.k8s.io/v1", "ClusterRole", null, role);
            r.Metadata()["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" };
            r["rules"] = new JsonArray(new JsonObject
            {
                ["apiGroups"] = new JsonArray(""), ["resources"] = new JsonArray("configmaps", "pods", "services"),
                ["verbs"] = role == "view" ? new JsonArray("get", "list", "watch") : new JsonArray("*"),
            });
            cluster.Create(r);
        }
        var binding = Obj("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", null, "cluster-admin");
        binding.Metadata()["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" };
        binding["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = "cluster-admin" };
        binding["subjects"] = new JsonArray(new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Group", ["name"] = "system:masters" });
        cluster.Create(binding);
    }

    private static string FirstServiceIp(string cidr)
    {
        var bytes = System.Net.IPAddress.Parse(cidr.Split('/')[0]).GetAddressBytes();
        bytes[3] += 1;
        return new System.Net.IPAddress(bytes).ToString();
    }

    private static JsonObject Node()
    {
        var node = Obj("v1", "Node", null, NodeName);
        node.Metadata()["labels"] = new JsonObject
        {
            ["kubernetes.io/hostname"] = NodeName, ["kubernetes.io/os"] = "linux", ["kubernetes.io/arch"] = "amd64",
            ["node-role.kubernetes.io/control-plane"] = "",
        };
        node["spec"] = new JsonObject { ["podCIDR"] = "10.244.0.0/24", ["podCIDRs"] = new JsonArray("10.244.0.0/24") };
        var capacity = new JsonObject { ["cpu"] = "8", ["memory"] = "16338244Ki", ["pods"] = "110", ["ephemeral-storage"] = "102626232Ki" };
        node["status"] = new JsonObject
        {
            ["capacity"] = capacity,
            ["allocatable"] = capacity.DeepClone(),
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady", ["message"] = "kubelet is posting ready status",
                ["lastHeartbeatTime"] = Timestamps.Format(DateTimeOffset.UtcNow), ["lastTransitionTime"] = Timestamps.Format(DateTimeOffset.UtcNow),
            }),
            ["addresses"] = new JsonArray(
                new JsonObject { ["type"] = "InternalIP", ["address"] = "172.18.0.2" },
                new JsonObject { ["type"] = "Hostname", ["address"] = NodeName }),
            ["nodeInfo"] = new JsonObject
            {
                ["architecture"] = "amd64", ["operatingSystem"] = "linux", ["osImage"] = "Debian GNU/Linux 12 (bookworm)",
                ["kernelVersion"] = "6.1.0", ["containerRuntimeVersion"] = "containerd://1.7.24",
                ["kubeletVersion"] = "v1.32.0", ["kubeProxyVersion"] = "v1.32.0",
                ["machineID"] = "emulator", ["systemUUID"] = "emulator", ["bootID"] = "emulator",
            },
        };
        return node;
    }

    private static JsonObject Obj(string apiVersion, string kind, string? ns, string name) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["metadata"] = Meta(ns, name, null),
    };

    private static JsonObject Meta(string? ns, string name, JsonObject? labels)
    {
        var meta = new JsonObject { ["name"] = name };
        if (ns is not null)
            meta["namespace"] = ns;
        if (labels is not null)
            meta["labels"] = labels;
        return meta;
    }
}
