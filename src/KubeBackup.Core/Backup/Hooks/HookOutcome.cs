namespace KubeBackup.Core.Backup.Hooks;

/// <summary>What one hook did in one pod.</summary>
/// <param name="HookName">The hook spec's name, or <c>annotation</c> for a hook from the pod's annotations.</param>
/// <param name="Error">Why the hook failed (bounded: at most a few trimmed lines of stderr); null when it succeeded.</param>
public sealed record HookOutcome(string Namespace, string Pod, string Container, HookPhase Phase, string HookName,
    IReadOnlyList<string> Command, HookErrorMode OnError, bool Succeeded, string? Error, TimeSpan Elapsed)
{
    /// <summary>A failed Fail-mode pre hook: the pod's items must not be backed up.</summary>
    public bool FailsPod => !Succeeded && OnError == HookErrorMode.Fail && Phase == HookPhase.Pre;
}
