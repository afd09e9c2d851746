namespace KubeBackup.Core.Backup.Hooks;

/// <summary>What a failing hook does to the backup, as Velero's <c>onError</c>.</summary>
public enum HookErrorMode
{
    /// <summary>The pod's items are not backed up and the backup is PartiallyFailed (pre hooks); post hooks report an error.</summary>
    Fail,

    /// <summary>A warning; the backup goes on as if the hook had succeeded.</summary>
    Continue,
}

/// <summary>When a hook runs relative to the backup of the items.</summary>
public enum HookPhase
{
    Pre,
    Post,
}

/// <summary>One exec hook: a command run in a container of a pod.</summary>
/// <param name="Container">The container; null means the pod's first container.</param>
public sealed record ExecHook(string? Container, IReadOnlyList<string> Command)
{
    public HookErrorMode OnError { get; init; } = HookErrorMode.Fail;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Velero's <c>spec.hooks.resources[]</c>: hooks for the pods in the chosen namespaces (empty: all) that match the label
/// selector (null: all). Pod annotations (<c>pre.hook.backup.velero.io/command</c> ...) take precedence over these.
/// </summary>
public sealed record BackupHookSpec(string Name)
{
    public IReadOnlyList<string> IncludedNamespaces { get; init; } = [];

    public IReadOnlyList<string> ExcludedNamespaces { get; init; } = [];

    /// <summary>Label selector in Kubernetes syntax (equality and set-based); null matches every pod.</summary>
    public string? LabelSelector { get; init; }

    public IReadOnlyList<ExecHook> Pre { get; init; } = [];

    public IReadOnlyList<ExecHook> Post { get; init; } = [];
}
