using System.Globalization;
using System.Text.Json.Nodes;
using KubeBackup.Core.Failover;

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
        if (!(Workloads.Recorded(workload, annotation) is { } recorded && Workloads.TryParseCount(recorded, out _)))
        {
            var annotations = Json.ObjectOrNew(Json.ObjectOrNew(workload, "metadata"), "annotations");
            annotations[annotation] = Workloads.Replicas(workload).ToString(CultureInfo.InvariantCulture);
        }
        Json.ObjectOrNew(workload, "spec")["replicas"] = 0;
    }
}
