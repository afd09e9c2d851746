namespace KubeBackup.Core.Restore;

/// <summary>What a restore did with one item.</summary>
public enum RestoreOutcome
{
    Created,
    Updated,
    Skipped,
    Failed,
}
