using System.Text.Json;
using KubeBackup.Core.Common;

namespace KubeBackup.Core.Backup.Hooks;

/// <summary>
/// Velero's hook annotations on a pod: <c>pre.hook.backup.velero.io/command</c> (a JSON array, or one string that is
/// the whole command), <c>/container</c>, <c>/on-error</c> and <c>/timeout</c>, the same with <c>post.</c>; and for
/// pre hooks the older unphased <c>hook.backup.velero.io/...</c>. Without a command annotation there is no hook.
/// </summary>
internal static class AnnotationHooks
{
    private const string Suffix = "hook.backup.velero.io/";
    /// <summary>ExecHook's default, which also stands in for a zero timeout, as in Velero.</summary>
    internal static readonly TimeSpan DefaultTimeout = new ExecHook(null, []).Timeout;

    public static bool Has(HookPod pod, HookPhase phase) => Prefix(pod, phase) is not null;

    /// <summary>The pod's annotation hook for the phase, or null; <paramref name="warn"/> hears of values that were ignored.</summary>
    public static ExecHook? Read(HookPod pod, HookPhase phase, Action<string> warn)
    {
        if (Prefix(pod, phase) is not { } prefix)
        {
            return null;
        }

        string? Annotation(string name) => pod.Annotations.TryGetValue(prefix + name, out var value) && value.Length > 0 ? value : null;

        var onError = HookErrorMode.Fail;
        if (Annotation("on-error") is { } onErrorText && !Enum.TryParse(onErrorText, ignoreCase: true, out onError))
        {
            onError = HookErrorMode.Fail;
            warn($"Pod {pod.Key}: annotation {prefix}on-error is '{onErrorText}', which is neither Fail nor Continue; using Fail.");
        }

        var timeout = DefaultTimeout;
        if (Annotation("timeout") is { } timeoutText)
        {
            if (DurationParser.TryParse(timeoutText, out var parsed) && parsed >= TimeSpan.Zero)
            {
                // As in Velero, 0 means the default.
                timeout = parsed == TimeSpan.Zero ? DefaultTimeout : parsed;
            }
            else
            {
                warn($"Pod {pod.Key}: annotation {prefix}timeout is '{timeoutText}', which is not a duration (such as 30s or 2m); using 30s.");
            }
        }

        return new ExecHook(Annotation("container"), ParseCommand(Annotation("command")!))
        {
            OnError = onError,
            Timeout = timeout,
        };
    }

    /// <summary>A JSON array of strings is the argv; anything else is one argument, as Velero reads it.</summary>
    internal static IReadOnlyList<string> ParseCommand(string value)
    {
        if (value.StartsWith('['))
        {
            try
            {
                // An empty array stays empty: the hook then fails for want of a command, as in Velero.
                if (JsonSerializer.Deserialize<string[]>(value) is { } command && command.All(part => part is not null))
                {
                    return command;
                }
            }
            catch (JsonException)
            {
            }
        }

        return [value];
    }

    private static string? Prefix(HookPod pod, HookPhase phase)
    {
        var phased = (phase == HookPhase.Pre ? "pre." : "post.") + Suffix;
        if (HasCommand(pod, phased))
        {
            return phased;
        }

        return phase == HookPhase.Pre && HasCommand(pod, Suffix) ? Suffix : null;
    }

    private static bool HasCommand(HookPod pod, string prefix) =>
        pod.Annotations.TryGetValue(prefix + "command", out var command) && command.Length > 0;
}
