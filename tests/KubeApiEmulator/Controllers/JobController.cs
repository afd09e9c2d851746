using System.Text.Json.Nodes;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Controllers;

/// <summary>
/// The job controller, without pods: an unsuspended Job starts at once and completes after the workload
/// delay with all completions succeeded (never, when workloads are configured never to be ready).
/// </summary>
public sealed class JobController : IController
{
    private const string JobKey = "batch/jobs";
    private readonly HashSet<(string Ns, string Name)> _scheduled = [];

    public void OnEvent(WatchEvent e, ControllerContext context)
    {
        if (e.StorageKey == JobKey && e.Type != WatchEventType.Deleted)
            Consider(e.Object, context);
    }

    public void Resync(ControllerContext context)
    {
        foreach (var job in context.Service.Store.Snapshot(JobKey).Set)
            Consider(job, context);
    }

    private void Consider(StoredObject job, ControllerContext context)
    {
        if (!context.Settings.Workloads)
            return;
        var node = job.ToNode();
        if (node.Flag("spec.suspend") || node.At("status.completionTime") is not null || node.At("metadata.deletionTimestamp") is not null)
            return;
        var def = context.Def("batch", "jobs")!;
        if (node.At("status.startTime") is null)
        {
            var now = Timestamps.Format(context.Now);
            context.Mutate(def, job.Namespace, job.Name, j =>
            {
                if (j.At("status.startTime") is not null)
                    return false;
                var status = j.Child("status");
                status["startTime"] = now;
                status["active"] = j.Long("spec.parallelism") ?? 1;
                status["ready"] = 0;
                return true;
            }, status: true);
            return;
        }
        if (context.Settings.WorkloadsNeverReady || !_scheduled.Add((job.Namespace, job.Name)))
            return;
        context.Schedule(context.Settings.WorkloadReadyDelay, () =>
        {
            _scheduled.Remove((job.Namespace, job.Name));
            if (!context.Settings.Workloads || context.Settings.WorkloadsNeverReady)
                return;
            var now = Timestamps.Format(context.Now);
            context.Mutate(def, job.Namespace, job.Name, j =>
            {
                if (j.At("status.completionTime") is not null || j.Flag("spec.suspend"))
                    return false;
                var status = j.Child("status");
                status.Remove("active");
                status["ready"] = 0;
                status["succeeded"] = j.Long("spec.completions") ?? 1;
                status["terminating"] = 0;
                status["completionTime"] = now;
                status["uncountedTerminatedPods"] = new JsonObject();
                status["conditions"] = new JsonArray(
                    Condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now),
                    Condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods", now));
                return true;
            }, status: true);
        });
    }

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastProbeTime"] = now,
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };
}
