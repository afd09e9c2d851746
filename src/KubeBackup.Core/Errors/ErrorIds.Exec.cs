namespace KubeBackup.Core.Errors;

public static partial class ErrorIds
{
    public const string PodExecFailed = nameof(PodExecFailed);
    public const string PodExecTimedOut = nameof(PodExecTimedOut);
}
