using System.Diagnostics;

namespace KubeBackup.Benchmarks;

/// <summary>The median of several runs, with the smallest and largest value seen.</summary>
public sealed record Stat(double Median, double Min, double Max)
{
    public static Stat Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("No values to summarise.", nameof(values));
        }
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Stat(median, sorted[0], sorted[^1]);
    }
}

/// <summary>Times one operation.</summary>
public static class Measurement
{
    public static async Task<TimeSpan> TimeAsync(Func<Task> operation)
    {
        var watch = Stopwatch.StartNew();
        await operation().ConfigureAwait(false);
        return watch.Elapsed;
    }

    public static TimeSpan Time(Action operation)
    {
        var watch = Stopwatch.StartNew();
        operation();
        return watch.Elapsed;
    }
}

/// <summary>Samples the process's working set while a scenario runs and keeps the largest value.</summary>
public sealed class PeakWorkingSet : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public PeakWorkingSet()
    {
        Sample();
        _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(50));
    }

    public long PeakBytes
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak);
        }
    }

    private void Sample()
    {
        using var self = Process.GetCurrentProcess();
        var current = self.WorkingSet64;
        long seen;
        while (current > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, current, seen) != seen)
        {
        }
    }

    public void Dispose() => _timer.Dispose();
}
