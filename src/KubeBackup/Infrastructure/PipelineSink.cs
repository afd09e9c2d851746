using System.Management.Automation;
using KubeBackup.Core.Operations;

namespace KubeBackup.Infrastructure;

/// <summary>
/// Core's report sink, turned into progress, verbose and warning records on the pipeline thread. Progress is thinned to
/// one update per activity every <see cref="ProgressInterval"/> (the first and the completion always go through): a
/// host draws every record it gets, and a restore reporting every hundred items spent a third of its time drawing.
/// </summary>
internal sealed class PipelineSink : IOperationSink
{
    internal static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, long> _lastShown = new();
    private readonly Action<ProgressRecord> _progress;
    private readonly Action<string> _verbose;
    private readonly Action<string> _warning;

    public PipelineSink(Action<ProgressRecord> progress, Action<string> verbose, Action<string> warning)
    {
        _progress = progress;
        _verbose = verbose;
        _warning = warning;
    }

    public void Progress(OperationProgress progress)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (!progress.Completed && _lastShown.TryGetValue(progress.ActivityId, out var last)
            && System.Diagnostics.Stopwatch.GetElapsedTime(last, now) < ProgressInterval)
        {
            return;
        }
        _lastShown[progress.ActivityId] = now;
        var record = new ProgressRecord(progress.ActivityId, progress.Activity, progress.Status)
        {
            PercentComplete = Math.Clamp(progress.PercentComplete, -1, 100),
            CurrentOperation = progress.CurrentOperation,
            ParentActivityId = progress.ParentActivityId,
            RecordType = progress.Completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        _progress(record);
    }

    public void Verbose(string message) => _verbose(message);

    public void Warning(string message) => _warning(message);
}
