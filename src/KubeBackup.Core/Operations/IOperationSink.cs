namespace KubeBackup.Core.Operations;

/// <summary>
/// How Core reports on long work without knowing who listens. The module turns these calls into
/// Write-Progress, Write-Verbose and Write-Warning on the pipeline thread; tests collect them.
/// Implementations must be thread-safe: Core calls them from worker tasks.
/// </summary>
public interface IOperationSink
{
    void Progress(OperationProgress progress);

    void Verbose(string message);

    void Warning(string message);
}

/// <summary>A sink that drops everything, for callers that do not listen.</summary>
public sealed class NullOperationSink : IOperationSink
{
    public static readonly NullOperationSink Instance = new();

    private NullOperationSink()
    {
    }

    public void Progress(OperationProgress progress)
    {
    }

    public void Verbose(string message)
    {
    }

    public void Warning(string message)
    {
    }
}
