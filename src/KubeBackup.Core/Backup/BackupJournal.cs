using System.Collections.Concurrent;
using System.Text;
using KubeBackup.Core.Operations;

namespace KubeBackup.Core.Backup;

/// <summary>
/// What happens during one backup: problems for the record, lines for the log, and the same news for the caller's
/// sink (warnings and errors as warnings, the rest as verbose). Thread-safe: lists and hooks report from many tasks.
/// </summary>
internal sealed class BackupJournal(IOperationSink sink, Func<DateTimeOffset> clock) : IOperationSink
{
    // A problem per failed item can be a lot; the record keeps the first ones and counts the rest.
    private const int MaxRecordedProblems = 1000;

    private readonly ConcurrentQueue<BackupProblem> _problems = new();
    private readonly ConcurrentQueue<BackupLogEntry> _log = new();
    private int _warnings;
    private int _errors;

    public int ErrorCount => Volatile.Read(ref _errors);

    public void Info(string message, string? target = null)
    {
        _log.Enqueue(new BackupLogEntry(clock(), BackupLogLevel.Info, message, target));
        sink.Verbose(target is null ? message : $"{target}: {message}");
    }

    public void Warn(string? target, string message) => Add(new BackupProblem(BackupProblemSeverity.Warning, target, message));

    public void Error(string? target, string message) => Add(new BackupProblem(BackupProblemSeverity.Error, target, message));

    private void Add(BackupProblem problem)
    {
        var count = problem.Severity == BackupProblemSeverity.Error ? Interlocked.Increment(ref _errors) : Interlocked.Increment(ref _warnings);
        if (count <= MaxRecordedProblems)
        {
            _problems.Enqueue(problem);
        }
        else if (count == MaxRecordedProblems + 1)
        {
            _problems.Enqueue(problem with { Target = null, Message = $"More than {MaxRecordedProblems} {problem.Severity.ToString().ToLowerInvariant()}s; the log has them all." });
        }
        _log.Enqueue(new BackupLogEntry(clock(), problem.Severity == BackupProblemSeverity.Error ? BackupLogLevel.Error : BackupLogLevel.Warning, problem.Message, problem.Target));
        sink.Warning((problem.Severity == BackupProblemSeverity.Error ? "Error: " : "") + problem);
    }

    public IReadOnlyList<BackupProblem> Problems => [.. _problems];

    /// <summary>The first error, for a one-line failure reason.</summary>
    public BackupProblem? FirstError => _problems.FirstOrDefault(p => p.Severity == BackupProblemSeverity.Error);

    public byte[] LogBytes()
    {
        var text = new StringBuilder();
        foreach (var entry in _log)
        {
            text.Append(entry.ToJsonLine()).Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    // Core components report through IOperationSink; their warnings become problems of the backup.
    void IOperationSink.Progress(OperationProgress progress) => sink.Progress(progress);

    void IOperationSink.Verbose(string message) => sink.Verbose(message);

    void IOperationSink.Warning(string message) => Warn(null, message);
}
