using System.Management.Automation;
using KubeBackup.Core.Operations;

namespace KubeBackup.Infrastructure;

/// <summary>Core's report sink, turned into progress, verbose and warning records on the pipeline thread.</summary>
internal sealed class PipelineSink : IOperationSink
{
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
