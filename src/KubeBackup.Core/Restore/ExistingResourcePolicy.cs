namespace KubeBackup.Core.Restore;

/// <summary>What a restore does with an object that already exists in the target cluster.</summary>
public enum ExistingResourcePolicy
{
    /// <summary>Leave it, and report whether it differs from the backup (Velero's default, "none").</summary>
    Skip,

    /// <summary>Patch it to the backed-up state (Velero's "update").</summary>
    Update,
}
