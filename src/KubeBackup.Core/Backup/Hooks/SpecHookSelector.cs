using KubeBackup.Core.Cluster.Selectors;
using KubeBackup.Core.Common;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Backup.Hooks;

/// <summary>
/// A <see cref="BackupHookSpec"/> checked once: which pods it applies to (namespace patterns with <c>*</c> and
/// <c>?</c>, exclusions winning; the label selector) and hooks that can run.
/// </summary>
internal sealed class SpecHookSelector
{
    private readonly LabelSelector selector;

    private SpecHookSelector(BackupHookSpec spec, LabelSelector selector)
    {
        Spec = spec;
        this.selector = selector;
    }

    public BackupHookSpec Spec { get; }

    /// <exception cref="KbException"><see cref="ErrorIds.BackupHookInvalid"/> or <see cref="ErrorIds.LabelSelectorInvalid"/>.</exception>
    public static SpecHookSelector Create(BackupHookSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrWhiteSpace(spec.Name))
        {
            throw Invalid(spec, "A backup hook needs a name.");
        }

        foreach (var (hook, phase) in spec.Pre.Select(h => (h, "pre")).Concat(spec.Post.Select(h => (h, "post"))))
        {
            if (hook.Command.Count == 0 || string.IsNullOrEmpty(hook.Command[0]))
            {
                throw Invalid(spec, $"Backup hook '{spec.Name}' has a {phase} hook without a command. Give the command as a list, such as [\"/bin/sh\", \"-c\", \"sync\"].");
            }

            if (hook.Timeout < TimeSpan.Zero)
            {
                throw Invalid(spec, $"Backup hook '{spec.Name}' has a {phase} hook with a negative timeout ({hook.Timeout}).");
            }
        }

        LabelSelector selector;
        try
        {
            selector = spec.LabelSelector is null ? LabelSelector.Everything : LabelSelector.Parse(spec.LabelSelector);
        }
        catch (KbException exception)
        {
            throw new KbException(exception.ErrorId, exception.Category, exception.Target, $"Backup hook '{spec.Name}': {exception.Message}", exception);
        }

        return new(spec, selector);
    }

    public IReadOnlyList<ExecHook> Hooks(HookPhase phase) => phase == HookPhase.Pre ? Spec.Pre : Spec.Post;

    public bool AppliesTo(HookPod pod) =>
        (Spec.IncludedNamespaces.Count == 0 || Spec.IncludedNamespaces.Any(pattern => NameWildcard.Matches(pattern, pod.Namespace)))
        && !Spec.ExcludedNamespaces.Any(pattern => NameWildcard.Matches(pattern, pod.Namespace))
        && selector.Matches(pod.Labels);

    private static KbException Invalid(BackupHookSpec spec, string message) =>
        new(ErrorIds.BackupHookInvalid, KbErrorCategory.InvalidArgument, spec.Name, message);
}
