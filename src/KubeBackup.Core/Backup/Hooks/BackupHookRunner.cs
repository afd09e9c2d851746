using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using KubeBackup.Core.Cluster.Exec;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;

namespace KubeBackup.Core.Backup.Hooks;

/// <summary>
/// Runs a pod's pre or post backup hooks as Velero does: the pod's hook annotations for the phase if it has them,
/// otherwise the hooks of every spec that applies to the pod, in spec order. Failures come back as outcomes; the caller
/// decides what they mean for the backup (<see cref="HookOutcome.FailsPod"/>) and reports them, so nothing is said twice.
/// </summary>
public sealed class BackupHookRunner
{
    private const string AnnotationHookName = "annotation";
    private const int StderrLinesInError = 5;
    private const int MaxLineLength = 200;
    private const int MaxCommandLength = 300;

    // Runtime errors (containerd's "executable file not found") put the useful part late in a long line.
    private const int MaxServerReasonLength = 1000;

    private readonly PodExec exec;
    private readonly IReadOnlyList<SpecHookSelector> specs;
    private readonly IOperationSink sink;

    /// <exception cref="KbException"><see cref="ErrorIds.BackupHookInvalid"/> for a spec without a name or with a hook
    /// without a command; <see cref="ErrorIds.LabelSelectorInvalid"/> for a spec's invalid label selector.</exception>
    public BackupHookRunner(IKubernetes client, IReadOnlyList<BackupHookSpec> specs, IOperationSink sink)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(sink);
        exec = new PodExec(client);
        this.specs = [.. specs.Select(SpecHookSelector.Create)];
        this.sink = sink;
    }

    /// <summary>True when the pod (a pod object as listed: JSON with metadata/spec/status) has any hook for the phase (annotations or specs).</summary>
    public bool HasHooks(JsonObject pod, HookPhase phase)
    {
        var view = HookPod.From(pod);
        return AnnotationHooks.Has(view, phase) || specs.Any(spec => spec.Hooks(phase).Count > 0 && spec.AppliesTo(view));
    }

    /// <summary>
    /// Runs that phase's hooks for one pod, in order. With OnError=Fail a failing hook stops the pod's remaining hooks of
    /// that phase. A pod that has finished (Succeeded or Failed) is skipped as Velero skips it: the result is empty.
    /// Never throws for a hook failure (returns it); throws OperationCanceledException on cancellation only.
    /// </summary>
    public async Task<IReadOnlyList<HookOutcome>> RunAsync(JsonObject pod, HookPhase phase, CancellationToken cancellationToken)
    {
        var view = HookPod.From(pod);
        var hooks = Select(view, phase);
        var phaseName = phase == HookPhase.Pre ? "pre" : "post";
        if (hooks.Count == 0)
        {
            return [];
        }

        if (view.Phase is "Succeeded" or "Failed")
        {
            sink.Verbose($"Skipping {hooks.Count} {phaseName} hook(s) of {view.Key}: the pod has finished ({view.Phase}).");
            return [];
        }

        var outcomes = new List<HookOutcome>();
        foreach (var (name, hook) in hooks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = await RunOneAsync(view, phase, name, hook, cancellationToken).ConfigureAwait(false);
            outcomes.Add(outcome);
            if (!outcome.Succeeded && outcome.OnError == HookErrorMode.Fail)
            {
                var left = hooks.Count - outcomes.Count;
                if (left > 0)
                {
                    sink.Verbose($"Not running the other {left} {phaseName} hook(s) of {view.Key}: hook '{name}' failed and its onError is Fail.");
                }

                break;
            }
        }

        return outcomes;
    }

    private List<(string Name, ExecHook Hook)> Select(HookPod pod, HookPhase phase)
    {
        // Annotations win over every spec for their phase, as in Velero.
        if (AnnotationHooks.Read(pod, phase, sink.Warning) is { } annotated)
        {
            return [(AnnotationHookName, annotated)];
        }

        return [.. specs.Where(spec => spec.AppliesTo(pod)).SelectMany(spec => spec.Hooks(phase).Select(hook => (spec.Spec.Name, hook)))];
    }

    private async Task<HookOutcome> RunOneAsync(HookPod pod, HookPhase phase, string name, ExecHook hook, CancellationToken cancellationToken)
    {
        var phaseName = phase == HookPhase.Pre ? "pre" : "post";
        var container = hook.Container ?? pod.Containers.FirstOrDefault() ?? "";
        var timeout = hook.Timeout > TimeSpan.Zero ? hook.Timeout : AnnotationHooks.DefaultTimeout;
        HookOutcome Outcome(bool succeeded, string? error, TimeSpan elapsed) =>
            new(pod.Namespace, pod.Name, container, phase, name, hook.Command, hook.OnError, succeeded, error, elapsed);

        var where = $"{pod.Key} (container {container})";
        var problem = PreconditionProblem(pod, hook, container);
        if (problem is not null)
        {
            sink.Verbose($"{Capitalized(phaseName)} hook '{name}' in {where} cannot run: {problem}.");
            return Outcome(false, problem, TimeSpan.Zero);
        }

        sink.Verbose($"Running {phaseName} hook '{name}' in {where}: {Shown(hook.Command)}");
        var started = Stopwatch.GetTimestamp();
        string error;
        try
        {
            var result = await exec.RunAsync(pod.Namespace, pod.Name, container, hook.Command, timeout, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                sink.Verbose($"{Capitalized(phaseName)} hook '{name}' in {where} succeeded in {Seconds(result.Elapsed)}.");
                return Outcome(true, null, result.Elapsed);
            }

            var stderr = result.LastStderrLines(StderrLinesInError).Select(Clipped).ToList();
            error = stderr.Count == 0
                ? $"exited with code {result.ExitCode}"
                : $"exited with code {result.ExitCode}; stderr: {string.Join(" | ", stderr)}";
        }
        catch (KbException exception) when (exception.ErrorId == ErrorIds.PodExecTimedOut)
        {
            error = $"timed out after {PodExec.Describe(timeout)}";
        }
        catch (KbException exception) when (exception.ErrorId == ErrorIds.PodExecFailed)
        {
            error = exception.Message.Length <= MaxServerReasonLength ? exception.Message : string.Concat(exception.Message.AsSpan(0, MaxServerReasonLength), "...");
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        sink.Verbose($"{Capitalized(phaseName)} hook '{name}' in {where} failed after {Seconds(elapsed)}: {error}");
        return Outcome(false, error, elapsed);
    }

    private static string? PreconditionProblem(HookPod pod, ExecHook hook, string container)
    {
        if (pod.Phase != "Running")
        {
            return $"pod is {pod.Phase ?? "Pending"}, hooks need a running pod";
        }

        if (hook.Command.Count == 0 || hook.Command[0].Length == 0)
        {
            return "the hook has no command";
        }

        if (pod.Containers.Count == 0)
        {
            return "the pod has no containers";
        }

        return pod.Containers.Contains(container, StringComparer.Ordinal)
            ? null
            : $"the pod has no container '{container}' (its containers: {string.Join(", ", pod.Containers)})";
    }

    /// <summary>The command as typed (variables such as $PASSWORD stay unexpanded), arguments with blanks quoted, length bounded.</summary>
    private static string Shown(IReadOnlyList<string> command)
    {
        var text = string.Join(' ', command.Select(part => part.Length == 0 || part.Any(char.IsWhiteSpace) ? $"'{part}'" : part));
        return text.Length <= MaxCommandLength ? text : string.Concat(text.AsSpan(0, MaxCommandLength), "...");
    }

    private static string Clipped(string line) => line.Length <= MaxLineLength ? line : string.Concat(line.AsSpan(0, MaxLineLength), "...");

    private static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";

    private static string Capitalized(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
