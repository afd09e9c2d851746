namespace KubeBackup.Core.Restore;

/// <summary>What a restore would do with one item of the backup (the plan, as -WhatIf and -PlanOnly show it).</summary>
public enum RestoreAction
{
    /// <summary>Absent from the target cluster: would be created.</summary>
    Create,

    /// <summary>Exists and differs, and the policy is Update: would be patched to the backed-up state.</summary>
    Update,

    /// <summary>Exists and equals the backup (ignoring the fields a restore resets): nothing to do.</summary>
    SkipExistsEqual,

    /// <summary>Exists and differs, and the policy is Skip: left as it is; the differences are listed.</summary>
    SkipExistsDiffers,

    /// <summary>Not restored by rule: never-restored kinds, objects left to their restored controller, generated tokens.</summary>
    Skip,

    /// <summary>Cannot be restored as it stands (its type is not served, its namespace is terminating, its content is damaged).</summary>
    Invalid,
}
