using System.Collections.Concurrent;
using System.Management.Automation;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;

namespace KubeBackup.Infrastructure;

/// <summary>
/// The base of every KubeBackup cmdlet. Work runs on worker tasks (Core is async); only the pipeline
/// thread may call Write* or ShouldProcess, so workers post those calls as messages that this class
/// pumps on the pipeline thread until the work ends. <see cref="StopProcessing"/> (Ctrl+C) cancels the
/// token every Core operation receives. A <see cref="KbException"/> becomes an ErrorRecord with its stable
/// id (see <see cref="ItemFailuresAreTerminating"/>); progress bars that are still open are completed.
/// </summary>
public abstract class AsyncCmdlet : PSCmdlet, IDisposable
{
    // How long a cancelled operation may take to unwind before the pipeline stops without it.
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<int> _openActivities = [];
    private BlockingCollection<Action>? _messages;

    private IOperationSink? _sink;

    /// <summary>Core's report sink for this cmdlet: progress, verbose and warnings reach the pipeline thread.</summary>
    protected IOperationSink Sink => _sink ??= new PipelineSink(EmitProgress, EmitVerbose, EmitWarning);

    protected virtual Task BeginProcessingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task ProcessRecordAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected virtual Task EndProcessingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The PowerShell location when the cmdlet started: relative paths resolve against it, as users expect.</summary>
    protected string CurrentDirectory { get; private set; } = Environment.CurrentDirectory;

    protected sealed override void BeginProcessing()
    {
        // Session state belongs to the pipeline thread; read it here, before any worker runs.
        CurrentDirectory = SessionState.Path.CurrentFileSystemLocation?.ProviderPath ?? Environment.CurrentDirectory;
        Run(BeginProcessingAsync);
    }

    /// <summary>
    /// A failure while processing one pipeline item is reported for that item and the next one is processed
    /// (WriteError); failures in Begin and End stop the command. Cmdlets whose items cannot go on without each
    /// other override this.
    /// </summary>
    protected virtual bool ItemFailuresAreTerminating => false;

    protected sealed override void ProcessRecord() => Run(ProcessRecordAsync, terminating: ItemFailuresAreTerminating);

    protected sealed override void EndProcessing() => Run(EndProcessingAsync);

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>
    /// Called on the pipeline thread after Ctrl+C, once the work ended (or the grace period passed) and before the
    /// pipeline stops. Nothing can be written to the pipeline any more; a cmdlet can still leave a variable or host text.
    /// </summary>
    protected virtual void OnStopped()
    {
    }

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Writes an object to the pipeline from any thread.</summary>
    protected void Emit(object? value) => Post(() => WriteObject(value));

    protected void EmitVerbose(string message) => Post(() => WriteVerbose(message));

    protected void EmitWarning(string message) => Post(() => WriteWarning(message));

    /// <summary>A non-terminating error for one item; the work goes on.</summary>
    protected void EmitError(ErrorRecord record) => Post(() => WriteError(record));

    protected void EmitError(KbException exception) => EmitError(ErrorRecords.From(exception));

    protected void EmitProgress(ProgressRecord record) => Post(() =>
    {
        if (record.RecordType == ProgressRecordType.Completed)
        {
            _openActivities.Remove(record.ActivityId);
        }
        else
        {
            _openActivities.Add(record.ActivityId);
        }
        WriteProgress(record);
    });

    /// <summary>Asks ShouldProcess on the pipeline thread (honours -WhatIf and -Confirm) and awaits the answer.</summary>
    protected Task<bool> ShouldProcessAsync(string target, string action) => OnPipelineThreadAsync(() => ShouldProcess(target, action));

    /// <summary>
    /// ShouldProcess that also says whether the answer was -WhatIf, for cmdlets whose -WhatIf shows a computed plan
    /// (New-KbBackup lists what it would take) rather than only the "What if:" line.
    /// </summary>
    protected async Task<(bool Proceed, bool WhatIf)> ShouldProcessOrPreviewAsync(string target, string action)
    {
        var whatIf = false;
        var proceed = await OnPipelineThreadAsync(() =>
        {
            var answer = ShouldProcess($"Performing the operation \"{action}\" on target \"{target}\".", $"{action} {target}?", "Confirm", out var reason);
            whatIf = reason == ShouldProcessReason.WhatIf;
            return answer;
        }).ConfigureAwait(false);
        return (proceed, whatIf);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the pipeline thread and awaits its result: what must run there, such as a user's
    /// script block (the engine runs scripts on the pipeline thread only). Its exceptions reach the awaiting worker.
    /// </summary>
    protected async Task<T> OnPipelineThreadAsync<T>(Func<T> work)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        // After Ctrl+C the pipeline thread no longer pumps; the work is cancelled, not left hanging.
        using var registration = _stopping.Token.Register(() => answer.TrySetCanceled(_stopping.Token));
        Post(() =>
        {
            try
            {
                answer.TrySetResult(work());
            }
            catch (Exception e)
            {
                answer.TrySetException(e);
            }
        });
        return await answer.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// ShouldProcess for a high-impact change, where <paramref name="force"/> (-Force) skips the confirmation
    /// prompt but never beats -WhatIf, and an explicit -Confirm still asks (the AWS.Tools ConfirmShouldProceed rule).
    /// </summary>
    protected async Task<bool> ShouldProceedAsync(string target, string action, bool force) =>
        !force || MyInvocation.BoundParameters.ContainsKey("Confirm")
            ? await ShouldProcessAsync(target, action).ConfigureAwait(false)
            : (await ForcedAsync(target, action).ConfigureAwait(false)).Proceed;

    /// <summary>
    /// <see cref="ShouldProceedAsync"/> that also says whether the answer was -WhatIf, for cmdlets whose output tells
    /// "would have done" (-WhatIf) apart from "declined at the prompt" (-Confirm).
    /// </summary>
    protected Task<(bool Proceed, bool WhatIf)> ShouldProceedOrPreviewAsync(string target, string action, bool force) =>
        !force || MyInvocation.BoundParameters.ContainsKey("Confirm") ? ShouldProcessOrPreviewAsync(target, action) : ForcedAsync(target, action);

    /// <summary>-Force without -Confirm: no prompt, but -WhatIf (given or by preference) still only shows what would happen.</summary>
    private async Task<(bool Proceed, bool WhatIf)> ForcedAsync(string target, string action)
    {
        var whatIf = false;
        var proceed = await OnPipelineThreadAsync(() =>
        {
            whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound)
                ? ((SwitchParameter)bound).IsPresent
                : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
            if (whatIf)
            {
                ShouldProcess(target, action); // writes "What if: ..."
                return false;
            }
            WriteVerbose($"Performing the operation \"{action}\" on target \"{target}\" (-Force).");
            return true;
        }).ConfigureAwait(false);
        return (proceed, whatIf);
    }

    private void Post(Action message)
    {
        var messages = _messages ?? throw new InvalidOperationException("Pipeline output can only be written while the cmdlet runs.");
        try
        {
            messages.Add(message);
        }
        catch (InvalidOperationException) when (messages.IsAddingCompleted)
        {
            // The pipeline stopped; late messages from a cancelled worker are dropped.
        }
    }

    private void Run(Func<CancellationToken, Task> work, bool terminating = true)
    {
        // Not disposed: a worker abandoned after Ctrl+C may still post to it; CompleteAdding makes that a no-op.
        var messages = new BlockingCollection<Action>();
        _messages = messages;
        var task = Task.Run(() => work(_stopping.Token), _stopping.Token);
        task.ContinueWith(_ => messages.CompleteAdding(), TaskScheduler.Default);
        try
        {
            Pump(messages, task);
            if (_stopping.IsCancellationRequested)
            {
                OnStopped();
                throw new PipelineStoppedException();
            }
            task.GetAwaiter().GetResult();
        }
        catch (KbException e)
        {
            CompleteOpenProgress();
            if (terminating)
            {
                ThrowTerminatingError(ErrorRecords.From(e));
            }
            WriteError(ErrorRecords.From(e));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            if (task.IsCompleted || _stopping.IsCancellationRequested)
            {
                CompleteOpenProgress();
            }
            messages.CompleteAdding();
            _messages = null;
        }
    }

    private void Pump(BlockingCollection<Action> messages, Task task)
    {
        try
        {
            foreach (var message in messages.GetConsumingEnumerable(_stopping.Token))
            {
                message();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or PipelineStoppedException && _stopping.IsCancellationRequested)
        {
            // Ctrl+C (a message written while stopping throws PipelineStoppedException): give the work a moment to
            // observe the token, then stop regardless. How it ended is the work's own business now.
            try
            {
                task.Wait(StopGracePeriod);
            }
            catch (AggregateException)
            {
            }
        }
    }

    private void CompleteOpenProgress()
    {
        foreach (var id in _openActivities.ToList())
        {
            try
            {
                WriteProgress(new ProgressRecord(id, "KubeBackup", "Stopped") { RecordType = ProgressRecordType.Completed });
            }
            catch (PipelineStoppedException)
            {
                break;
            }
        }
        _openActivities.Clear();
    }
}
