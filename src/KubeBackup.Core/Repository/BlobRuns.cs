namespace KubeBackup.Core.Repository;

/// <summary>
/// Groups the entries to read into runs: entries held in one blob whose blobs lie in the same pack with small gaps
/// between them are one range read; anything else (several blobs, streams) is a run of its own, read item by item.
/// </summary>
internal static class BlobRuns
{
    // A gap smaller than this is cheaper to read through than to request around; a run stays small enough to hold.
    private const int MaxGap = 256 * 1024;
    private const int MaxRun = 4 * 1024 * 1024;

    /// <summary>One range of a pack (<see cref="PackId"/> set) and the entries in it, or one entry read alone (<see cref="PackId"/> null).</summary>
    public sealed record Run(string? PackId, long Offset, int Length, IReadOnlyList<ManifestEntry> Entries);

    public static List<Run> Plan(IEnumerable<ManifestEntry> entries)
    {
        var runs = new List<Run>();
        var single = new List<ManifestEntry>();
        foreach (var entry in entries)
        {
            if (entry.Blobs.Count == 1)
            {
                single.Add(entry);
            }
            else
            {
                runs.Add(new Run(null, 0, 0, [entry]));
            }
        }
        foreach (var pack in single.GroupBy(e => e.Blobs[0].PackId, StringComparer.Ordinal))
        {
            var ordered = pack.OrderBy(e => e.Blobs[0].Offset).ToList();
            var start = 0;
            var runStart = ordered[0].Blobs[0].Offset;
            var runEnd = runStart + ordered[0].Blobs[0].Length;
            for (var i = 1; i < ordered.Count; i++)
            {
                var blob = ordered[i].Blobs[0];
                if (blob.Offset - runEnd > MaxGap || blob.Offset + blob.Length - runStart > MaxRun)
                {
                    runs.Add(new Run(pack.Key, runStart, (int)(runEnd - runStart), ordered.GetRange(start, i - start)));
                    (start, runStart, runEnd) = (i, blob.Offset, blob.Offset + blob.Length);
                }
                else
                {
                    runEnd = Math.Max(runEnd, blob.Offset + blob.Length);
                }
            }
            runs.Add(new Run(pack.Key, runStart, (int)(runEnd - runStart), ordered.GetRange(start, ordered.Count - start)));
        }
        return runs;
    }
}
