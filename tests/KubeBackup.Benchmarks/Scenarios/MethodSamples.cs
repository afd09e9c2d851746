using System.Globalization;
using KubeBackup.Benchmarks.Report;

namespace KubeBackup.Benchmarks.Scenarios;

/// <summary>One run of one method on one cluster size: its time, what it took, and the floor's time in the same run.</summary>
public sealed record MethodSample(double Seconds, long Objects, long Bytes, double FloorSeconds);

/// <summary>
/// The runs of every method of a cluster scenario (backup, restore), by cluster size, method and encryption, turned into
/// report rows (median with min and max) and budget ratios.
/// </summary>
public sealed class MethodSamples
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private readonly Dictionary<(int Size, string Method, string Encryption), List<MethodSample>> _samples = [];

    public void Add(int size, string method, string encryption, MethodSample sample)
    {
        if (!_samples.TryGetValue((size, method, encryption), out var list))
        {
            _samples[(size, method, encryption)] = list = [];
        }
        list.Add(sample);
    }

    public IReadOnlyList<MethodSample> this[int size, string method, string encryption] => _samples[(size, method, encryption)];

    public bool TryGet(int size, string method, string encryption, out IReadOnlyList<MethodSample> samples)
    {
        var found = _samples.TryGetValue((size, method, encryption), out var list);
        samples = list ?? [];
        return found;
    }

    /// <summary>A method's time over the floor's, per run.</summary>
    public Stat TimeToFloor(int size, string method, string encryption) =>
        Stat.Of(this[size, method, encryption].Select(v => v.Seconds / v.FloorSeconds).ToList());

    /// <summary>One method's time over another's, run by run.</summary>
    public Stat TimeRatio(int size, string slower, string faster, string encryption) =>
        Stat.Of(this[size, slower, encryption].Zip(this[size, faster, encryption], (s, f) => s.Seconds / f.Seconds).ToList());

    /// <summary>Rows in the order the methods were first measured; floor rows (method "floor ...") have no ratio.</summary>
    public List<BackupRow> Rows() => _samples
        .Select(s => new BackupRow(s.Key.Size, s.Key.Method, s.Key.Encryption, (long)Stat.Of(s.Value.Select(v => (double)v.Objects).ToList()).Median,
            Stat.Of(s.Value.Select(v => v.Seconds).ToList()),
            Stat.Of(s.Value.Select(v => v.Objects / v.Seconds).ToList()),
            (long)Stat.Of(s.Value.Select(v => (double)v.Bytes).ToList()).Median,
            s.Key.Method.StartsWith("floor", StringComparison.Ordinal) ? null : Stat.Of(s.Value.Select(v => v.Seconds / v.FloorSeconds).ToList())))
        .ToList();

    /// <summary>"median [min – max]" in the invariant culture.</summary>
    public static string Format(Stat stat, string format) =>
        $"{stat.Median.ToString(format, Invariant)} [{stat.Min.ToString(format, Invariant)} – {stat.Max.ToString(format, Invariant)}]";
}
