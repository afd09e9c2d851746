using System.Text;
using System.Text.Json;

namespace KubeApiEmulator.Tables;

/// <summary>The server-side print columns of the kinds people look at most, as the real server names them.</summary>
public static class TableColumns
{
    private const string Str = "string";
    private const string Int = "integer";

    public static readonly TableColumn DataCount = new("Data", Int, "Number of data entries",
        o => (long)(JsonPaths.Count(o, "data") + JsonPaths.Count(o, "binaryData")));

    public static readonly TableColumn SecretType = new("Type", Str, "The type of the secret", o => JsonPaths.Text(o, "type"));

    public static readonly TableColumn NamespaceStatus = new("Status", Str, "The status of the namespace", o => JsonPaths.Text(o, "status.phase"));

    public static readonly IReadOnlyList<TableColumn> Deployment =
    [
        new("Ready", Str, "Number of the pod with ready state", o => $"{JsonPaths.Number(o, "status.readyReplicas")}/{JsonPaths.Number(o, "spec.replicas")}"),
        new("Up-to-date", Int, "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", o => JsonPaths.Number(o, "status.updatedReplicas")),
        new("Available", Int, "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", o => JsonPaths.Number(o, "status.availableReplicas")),
    ];

    public static readonly IReadOnlyList<TableColumn> StatefulSet =
    [
        new("Ready", Str, "Number of the pod with ready state", o => $"{JsonPaths.Number(o, "status.readyReplicas")}/{JsonPaths.Number(o, "spec.replicas")}"),
    ];

    public static readonly IReadOnlyList<TableColumn> Service =
    [
        new("Type", Str, "The type of the service", o => JsonPaths.Text(o, "spec.type")),
        new("Cluster-IP", Str, "The cluster IP of the service", o => OrNone(JsonPaths.Text(o, "spec.clusterIP"))),
        new("External-IP", Str, "The external IP of the service", ExternalIp),
        new("Port(s)", Str, "The ports of the service", ServicePorts),
    ];

    public static readonly IReadOnlyList<TableColumn> Pod =
    [
        new("Ready", Str, "The aggregate readiness state of this pod for accepting traffic.", PodReady),
        new("Status", Str, "The aggregate status of the containers in this pod.", o => OrDefault(JsonPaths.Text(o, "status.phase"), "Pending")),
        new("Restarts", Str, "The number of times the containers in this pod have been restarted.", o => "0"),
    ];

    public static readonly IReadOnlyList<TableColumn> Pvc =
    [
        new("Status", Str, "", o => JsonPaths.Text(o, "status.phase")),
        new("Volume", Str, "", o => JsonPaths.Text(o, "spec.volumeName")),
        new("Capacity", Str, "", o => JsonPaths.Text(o, "status.capacity.storage")),
        new("Access Modes", Str, "", o => AccessModes(o, "status.accessModes")),
        new("StorageClass", Str, "", o => JsonPaths.Text(o, "spec.storageClassName")),
    ];

    public static readonly IReadOnlyList<TableColumn> Pv =
    [
        new("Capacity", Str, "", o => JsonPaths.Text(o, "spec.capacity.storage")),
        new("Access Modes", Str, "", o => AccessModes(o, "spec.accessModes")),
        new("Reclaim Policy", Str, "", o => JsonPaths.Text(o, "spec.persistentVolumeReclaimPolicy")),
        new("Status", Str, "", o => JsonPaths.Text(o, "status.phase")),
        new("Claim", Str, "", o => JsonPaths.Find(o, "spec.claimRef") is null ? "" : JsonPaths.Text(o, "spec.claimRef.namespace") + "/" + JsonPaths.Text(o, "spec.claimRef.name")),
        new("StorageClass", Str, "", o => JsonPaths.Text(o, "spec.storageClassName")),
    ];

    private static string OrNone(string s) => s.Length == 0 ? "<none>" : s;

    private static string OrDefault(string s, string fallback) => s.Length == 0 ? fallback : s;

    private static string ExternalIp(JsonElement o)
    {
        if (JsonPaths.Find(o, "spec.externalIPs") is { ValueKind: JsonValueKind.Array } ips && ips.GetArrayLength() > 0)
            return string.Join(",", ips.EnumerateArray().Select(JsonPaths.ScalarText));
        var type = JsonPaths.Text(o, "spec.type");
        if (type == "LoadBalancer")
            return "<pending>";
        return type == "ExternalName" ? JsonPaths.Text(o, "spec.externalName") : "<none>";
    }

    private static string ServicePorts(JsonElement o)
    {
        if (JsonPaths.Find(o, "spec.ports") is not { ValueKind: JsonValueKind.Array } ports || ports.GetArrayLength() == 0)
            return "<none>";
        var sb = new StringBuilder();
        foreach (var p in ports.EnumerateArray())
        {
            if (sb.Length > 0)
                sb.Append(',');
            sb.Append(JsonPaths.Text(p, "port"));
            var nodePort = JsonPaths.Text(p, "nodePort");
            if (nodePort.Length > 0)
                sb.Append(':').Append(nodePort);
            sb.Append('/').Append(OrDefault(JsonPaths.Text(p, "protocol"), "TCP"));
        }
        return sb.ToString();
    }

    private static string PodReady(JsonElement o)
    {
        var total = JsonPaths.Count(o, "spec.containers");
        var ready = JsonPaths.Find(o, "status.containerStatuses") is { ValueKind: JsonValueKind.Array } statuses
            ? statuses.EnumerateArray().Count(s => JsonPaths.Text(s, "ready") == "true")
            : 0;
        return $"{ready}/{total}";
    }

    private static string AccessModes(JsonElement o, string path)
    {
        if (JsonPaths.Find(o, path) is not { ValueKind: JsonValueKind.Array } modes)
            return "";
        return string.Join(",", modes.EnumerateArray().Select(m => JsonPaths.ScalarText(m) switch
        {
            "ReadWriteOnce" => "RWO",
            "ReadOnlyMany" => "ROX",
            "ReadWriteMany" => "RWX",
            "ReadWriteOncePod" => "RWOP",
            var other => other,
        }));
    }
}
