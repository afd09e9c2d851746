using System.Security.Cryptography;
using System.Text;
using KubeBackup.Benchmarks.Report;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Storage;

namespace KubeBackup.Benchmarks.Scenarios;

/// <summary>
/// Repository throughput (issue 4): write and read back mixed small blobs (Kubernetes-object JSON of 1–4 KB with random
/// content, so neither dedup nor compression hides the cost) and one large stream of random bytes, unencrypted and
/// encrypted, on the local filesystem and on S3 (s3rver). The floor is the same bytes as plain files in the same run.
/// </summary>
public sealed class RepositoryThroughput(string repoRoot, string workDirectory, int runs, long totalBytes, Action<string> log)
{
    public const string Name = "repository";
    private const string Passphrase = "correct horse battery staple";
    private const int KdfIterations = 600_000;
    private const int Concurrency = 8;

    // s3rver answers one ranged GET per item in milliseconds, so reading every item back from it would take minutes:
    // the S3 rows use this fraction of the items (the stream is whole). MB/s and items/s stay comparable.
    private const int S3ItemFraction = 20;

    public async Task<ScenarioResult> RunAsync()
    {
        using var peak = new PeakWorkingSet();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var items = GenerateItems(totalBytes);
        var stream = RandomNumberGenerator.GetBytes(checked((int)totalBytes));
        long itemBytes = items.Sum(i => (long)i.Json.Length);
        log($"{items.Length:N0} items, {itemBytes:N0} bytes; stream {stream.Length:N0} bytes; {runs} run(s)");

        var skipped = new List<string>();
        var notes = new List<string>();
        S3rver? s3 = null;
        if (S3rver.Unavailable(repoRoot) is { } reason)
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                throw new InvalidOperationException($"S3 (s3rver) is required in CI: {reason}.");
            }
            skipped.Add($"S3 (s3rver): {reason}.");
            log($"skipped S3: {reason}");
        }
        else
        {
            s3 = await S3rver.StartAsync(repoRoot);
        }

        // Untimed warm-up, so the first configuration measured does not pay for JIT compilation.
        await MeasureRepositoryAsync(new FileSystemObjectStore(Path.Combine(workDirectory, "warm-up")), encrypted: true, items[..Math.Min(items.Length, 500)], stream[..1_000_000]);
        Directory.Delete(Path.Combine(workDirectory, "warm-up"), recursive: true);

        var samples = new Dictionary<(string Store, string Encryption, string Operation), List<Sample>>();
        var kdf = new List<double>();
        try
        {
            for (var run = 1; run <= runs; run++)
            {
                var floor = MeasureFloor(items, stream, Path.Combine(workDirectory, $"floor-{run}"));
                log($"run {run}: floor write items {floor.WriteItems:F2} s, read items {floor.ReadItems:F2} s, write stream {floor.WriteStream:F2} s, read stream {floor.ReadStream:F2} s");
                var stores = new List<(string Name, Func<string, IObjectStore> Create, int Fraction)>
                {
                    ("filesystem", prefix => new FileSystemObjectStore(Path.Combine(workDirectory, prefix)), 1),
                };
                if (s3 is not null)
                {
                    stores.Add(("s3 (s3rver)", prefix => ObjectStoreFactory.Create(s3.Location(prefix)), S3ItemFraction));
                }
                foreach (var (storeName, create, fraction) in stores)
                {
                    foreach (var encrypted in new[] { false, true })
                    {
                        var encryption = encrypted ? "AES-256-GCM" : "none";
                        var prefix = $"repo-{run}-{(storeName == "filesystem" ? "fs" : "s3")}-{(encrypted ? "enc" : "plain")}";
                        var subset = items[..(items.Length / fraction)];
                        long subsetBytes = subset.Sum(i => (long)i.Json.Length);
                        var floorScale = subsetBytes / (double)itemBytes;
                        var result = await MeasureRepositoryAsync(create(prefix), encrypted, subset, stream);
                        if (result.OpenSeconds is { } open)
                        {
                            kdf.Add(open);
                        }
                        Add(samples, (storeName, encryption, "write items"), new Sample(result.WriteItems, subsetBytes, subset.Length, result.StoredItems, floor.WriteItems * floorScale));
                        Add(samples, (storeName, encryption, "read items"), new Sample(result.ReadItems, subsetBytes, subset.Length, null, floor.ReadItems * floorScale));
                        Add(samples, (storeName, encryption, "write stream"), new Sample(result.WriteStream, stream.Length, 1, result.StoredStream, floor.WriteStream));
                        Add(samples, (storeName, encryption, "read stream"), new Sample(result.ReadStream, stream.Length, 1, null, floor.ReadStream));
                        log($"run {run}: {storeName}, encryption {encryption}: write items {result.WriteItems:F2} s, read items {result.ReadItems:F2} s, write stream {result.WriteStream:F2} s, read stream {result.ReadStream:F2} s");
                    }
                }
                Directory.Delete(Path.Combine(workDirectory), recursive: true);
                Directory.CreateDirectory(workDirectory);
            }
        }
        finally
        {
            if (s3 is not null)
            {
                await s3.DisposeAsync();
            }
        }

        var rows = new List<ThroughputRow>();
        foreach (var operation in new[] { "write items", "read items", "write stream", "read stream" })
        {
            // The floor row comes from the filesystem samples, which cover every item.
            var floorSamples = samples[("filesystem", "none", operation)];
            rows.Add(Row("plain files (floor)", "none", operation, floorSamples.Select(s => s with { Seconds = s.FloorSeconds, StoredBytes = null }).ToList(), floor: false));
            rows.AddRange(samples.Where(s => s.Key.Operation == operation).Select(s => Row(s.Key.Store, s.Key.Encryption, operation, s.Value, floor: true)));
        }
        if (kdf.Count > 0)
        {
            var open = Stat.Of(kdf);
            notes.Add($"Opening an encrypted repository (PBKDF2, {KdfIterations:N0} iterations) took {open.Median:F2} s (min {open.Min:F2}, max {open.Max:F2}); it is not counted in the throughput.");
        }
        notes.Add($"Items: {items.Length:N0} Kubernetes-object JSON documents of 1–4 KB, {itemBytes:N0} bytes in all, written and read {Concurrency} at a time. Stream: {stream.Length:N0} random bytes.");
        notes.Add("KubeBackup/floor is KubeBackup's MB/s over the floor's in the same run (median over runs): 1.00 is as fast as plain files, above 1 faster.");
        notes.Add("MB = 1,000,000 bytes. Stored/logical is the bytes the backup added to the store over the bytes given to it (compression, encryption, pack and manifest overhead).");
        if (s3 is not null)
        {
            notes.Add($"S3 rows write and read 1/{S3ItemFraction} of the items ({items.Length / S3ItemFraction:N0}): s3rver serves one ranged GET per item slowly enough that all of them would take minutes a run. Their floor is the local floor scaled to the same bytes.");
        }
        notes.Add("The floor is File.WriteAllBytes / File.ReadAllBytes of the same bytes (one file per item, one file for the stream) on the local filesystem in the same run; S3 rows are compared to that local floor too.");
        return new ScenarioResult(Name, "Repository throughput",
            "Write and read back mixed small blobs and one large stream through BackupRepository, against plain files.",
            rows, peak.PeakBytes, clock.Elapsed.TotalSeconds, notes, skipped);
    }

    private sealed record Sample(double Seconds, long Bytes, long Items, long? StoredBytes, double FloorSeconds);

    private sealed record Floor(double WriteItems, double ReadItems, double WriteStream, double ReadStream);

    private sealed record RepositoryTimes(double WriteItems, double ReadItems, double WriteStream, double ReadStream, long StoredItems, long StoredStream, double? OpenSeconds);

    private static void Add<TKey>(Dictionary<TKey, List<Sample>> samples, TKey key, Sample sample) where TKey : notnull
    {
        if (!samples.TryGetValue(key, out var list))
        {
            samples[key] = list = [];
        }
        list.Add(sample);
    }

    private static ThroughputRow Row(string store, string encryption, string operation, List<Sample> runs, bool floor)
    {
        static double Mb(Sample s, double seconds) => s.Bytes / 1e6 / seconds;
        var first = runs[0];
        var stored = runs.Where(s => s.StoredBytes is not null).Select(s => s.StoredBytes!.Value).ToList();
        return new ThroughputRow(store, encryption, operation, first.Bytes, first.Items,
            Stat.Of(runs.Select(s => s.Seconds).ToList()),
            Stat.Of(runs.Select(s => Mb(s, s.Seconds)).ToList()),
            Stat.Of(runs.Select(s => s.Items / s.Seconds).ToList()),
            stored.Count > 0 ? (long)Stat.Of(stored.Select(b => (double)b).ToList()).Median : null,
            floor ? Stat.Of(runs.Select(s => Mb(s, s.FloorSeconds)).ToList()) : null,
            floor ? Stat.Of(runs.Select(s => s.FloorSeconds / s.Seconds).ToList()) : null);
    }

    private static Floor MeasureFloor((ItemKey Key, byte[] Json)[] items, byte[] stream, string directory)
    {
        Directory.CreateDirectory(directory);
        var paths = items.Select((_, i) => Path.Combine(directory, $"item-{i}.json")).ToArray();
        var writeItems = Measurement.Time(() => Parallel.For(0, items.Length, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, i => File.WriteAllBytes(paths[i], items[i].Json)));
        long read = 0;
        var readItems = Measurement.Time(() => Parallel.For(0, items.Length, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, i => Interlocked.Add(ref read, File.ReadAllBytes(paths[i]).Length)));
        var streamPath = Path.Combine(directory, "stream.bin");
        var writeStream = Measurement.Time(() => File.WriteAllBytes(streamPath, stream));
        var readStream = Measurement.Time(() => read += File.ReadAllBytes(streamPath).Length);
        if (read != items.Sum(i => (long)i.Json.Length) + stream.Length)
        {
            throw new InvalidOperationException("The floor read back a different number of bytes than it wrote.");
        }
        // Deleting the files in parallel takes half the time of Directory.Delete alone on this kind of machine.
        Parallel.For(0, paths.Length, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, i => File.Delete(paths[i]));
        Directory.Delete(directory, recursive: true);
        return new Floor(writeItems.TotalSeconds, readItems.TotalSeconds, writeStream.TotalSeconds, readStream.TotalSeconds);
    }

    private static async Task<RepositoryTimes> MeasureRepositoryAsync(IObjectStore store, bool encrypted, (ItemKey Key, byte[] Json)[] items, byte[] stream)
    {
        await using var _ = store;
        var record = "{}"u8.ToArray();
        using (var key = encrypted ? RepositoryKey.FromPassphrase(Passphrase) : null)
        using (var repository = await BackupRepository.InitializeAsync(store, new RepositoryInitOptions { Encryption = key, KdfIterations = KdfIterations }))
        {
            var writeItems = await Measurement.TimeAsync(async () =>
            {
                await using var writer = await repository.BeginBackupAsync("items");
                await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (item, ct) => await writer.AddItemAsync(item.Key, item.Json, ct));
                await writer.CommitAsync(record);
            });
            var storedItems = await StoredBytesAsync(store);
            var writeStream = await Measurement.TimeAsync(async () =>
            {
                await using var writer = await repository.BeginBackupAsync("stream");
                await writer.AddStreamAsync(new ItemKey("", "v1", "persistentvolumeclaims", "bench", "volume"), new MemoryStream(stream, writable: false));
                await writer.CommitAsync(record);
            });
            var storedStream = await StoredBytesAsync(store) - storedItems;

            // A fresh open, as a restore would do: the key derivation is timed on its own and not counted below.
            var openWatch = System.Diagnostics.Stopwatch.StartNew();
            using var readKey = encrypted ? RepositoryKey.FromPassphrase(Passphrase) : null;
            using var reopened = await BackupRepository.OpenAsync(store, readKey);
            double? open = encrypted ? openWatch.Elapsed.TotalSeconds : null;

            var byName = items.Select((item, i) => (item.Key, i)).ToDictionary(p => p.Key, p => p.i);
            var readItems = await Measurement.TimeAsync(async () =>
            {
                var reader = await reopened.OpenBackupAsync("items");
                var entries = new List<ManifestEntry>();
                await foreach (var entry in reader.ReadEntriesAsync())
                {
                    entries.Add(entry);
                }
                if (entries.Count != items.Length)
                {
                    throw new InvalidOperationException($"Read {entries.Count} entries back, wrote {items.Length}.");
                }
                await Parallel.ForEachAsync(entries, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (entry, ct) =>
                {
                    var json = await reader.ReadItemAsync(entry, ct);
                    if (!json.AsSpan().SequenceEqual(items[byName[entry.Key]].Json))
                    {
                        throw new InvalidOperationException($"Item {entry.Key} read back differs from what was written.");
                    }
                });
            });
            var readStream = await Measurement.TimeAsync(async () =>
            {
                var reader = await reopened.OpenBackupAsync("stream");
                var entry = (await reader.GetManifestAsync()).Single();
                await using var content = await reader.OpenStreamAsync(entry);
                var buffer = new byte[1 << 20];
                var offset = 0;
                int n;
                while ((n = await content.ReadAsync(buffer)) > 0)
                {
                    if (offset + n > stream.Length || !buffer.AsSpan(0, n).SequenceEqual(stream.AsSpan(offset, n)))
                    {
                        throw new InvalidOperationException($"The stream read back differs from what was written at offset {offset}.");
                    }
                    offset += n;
                }
                if (offset != stream.Length)
                {
                    throw new InvalidOperationException($"The stream read back has {offset} bytes, {stream.Length} were written.");
                }
            });
            return new RepositoryTimes(writeItems.TotalSeconds, readItems.TotalSeconds, writeStream.TotalSeconds, readStream.TotalSeconds, storedItems, storedStream, open);
        }
    }

    private static async Task<long> StoredBytesAsync(IObjectStore store)
    {
        long total = 0;
        await foreach (var info in store.ListAsync("", CancellationToken.None))
        {
            total += info.Size;
        }
        return total;
    }

    /// <summary>ConfigMap- and Secret-like objects with random data, 1–4 KB each, until the total is reached.</summary>
    private static (ItemKey Key, byte[] Json)[] GenerateItems(long totalBytes)
    {
        var random = new Random(20261123);
        var items = new List<(ItemKey, byte[])>();
        long total = 0;
        for (var i = 0; total < totalBytes; i++)
        {
            var size = random.Next(1024, 4097);
            var ns = $"team-{i % 97:D2}";
            var name = $"app-{i:D6}-config";
            var kind = i % 3 == 0 ? ("Secret", "secrets") : ("ConfigMap", "configmaps");
            var head = new StringBuilder()
                .Append("{\"apiVersion\":\"v1\",\"kind\":\"").Append(kind.Item1).Append("\",\"metadata\":{\"name\":\"").Append(name)
                .Append("\",\"namespace\":\"").Append(ns).Append("\",\"uid\":\"").Append(Guid.NewGuid())
                .Append("\",\"resourceVersion\":\"").Append(random.Next(1_000_000, 9_999_999))
                .Append("\",\"creationTimestamp\":\"2026-11-").Append(1 + i % 28).Append("T10:00:00Z\",")
                .Append("\"labels\":{\"app.kubernetes.io/name\":\"app-").Append(i % 500).Append("\",\"app.kubernetes.io/part-of\":\"bench\"},")
                .Append("\"annotations\":{\"kubebackup.io/bench\":\"true\"}},\"data\":{\"payload\":\"")
                .ToString();
            const string tail = "\"}}";
            var payloadBytes = Math.Max(16, size - Encoding.UTF8.GetByteCount(head) - tail.Length);
            var payload = new byte[payloadBytes * 3 / 4];
            random.NextBytes(payload);
            var json = Encoding.UTF8.GetBytes(head + Convert.ToBase64String(payload) + tail);
            items.Add((new ItemKey("", "v1", kind.Item2, ns, name), json));
            total += json.Length;
        }
        return items.ToArray();
    }
}
