namespace KubeBackup.Core.Operations;

/// <summary>
/// One progress report. <see cref="ActivityId"/> distinguishes concurrent activities (a backup's
/// overall progress and its per-resource lists); <see cref="ParentActivityId"/> nests them.
/// </summary>
public sealed record OperationProgress(
    int ActivityId,
    string Activity,
    string Status,
    int PercentComplete = -1,
    string? CurrentOperation = null,
    int ParentActivityId = -1,
    bool Completed = false)
{
    public static OperationProgress Done(int activityId, string activity) =>
        new(activityId, activity, "Completed", 100, Completed: true);
}
