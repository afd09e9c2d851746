using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeBackup.Core.Restore.Transforms;

/// <summary>
/// A restore in standby form (Sync-KbStandby): a Deployment or StatefulSet is created (or updated) at 0 replicas with
/// its backed-up count in the standby annotation, so the standby never starts the primary's pods, and failover scales it
/// back to that count. A count the backup itself recorded (a primary that was a standby) is kept when it is valid.
/// </summary>
internal static class StandbyTransform
{
    public static void Prepare(JsonObject workload, string annotation)
    {
        var spec = Json.ObjectOrNew(workload, "spec");
        var replicas = spec["replicas"] is JsonValue value && value.TryGetValue<int>(out var r) ? r : 1;
        var annotations = Json.ObjectOrNew(Json.ObjectOrNew(workload, "metadata"), "annotations");
        if (!(Json.String(annotations[annotation]) is { } recorded && int.TryParse(recorded, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            annotations[annotation] = replicas.ToString(CultureInfo.InvariantCulture);
        }
        spec["replicas"] = 0;
    }
}
