namespace KubeBackup.Core.Backup;

public enum BackupProblemSeverity
{
    Warning,
    Error,
}

/// <summary>One warning or error of a backup: what it concerns (an item, a resource type, a hook) and why.</summary>
/// <param name="Target">The item (<c>apps/v1 deployments prod/web</c>), resource type, pod or filter concerned; null for the whole backup.</param>
public sealed record BackupProblem(BackupProblemSeverity Severity, string? Target, string Message)
{
    public override string ToString() => Target is null ? Message : $"{Target}: {Message}";
}
