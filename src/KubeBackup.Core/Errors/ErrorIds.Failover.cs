namespace KubeBackup.Core.Errors;

public static partial class ErrorIds
{
    /// <summary>A workload's recorded replica annotation (<c>original-replicas</c>) is not a non-negative integer; the workload is left alone.</summary>
    public const string StandbyAnnotationInvalid = nameof(StandbyAnnotationInvalid);

    /// <summary>A namespace to put on standby does not exist.</summary>
    public const string NamespaceNotFound = nameof(NamespaceNotFound);

    /// <summary>The API server refused to scale a workload down.</summary>
    public const string StandbyScaleFailed = nameof(StandbyScaleFailed);
}
