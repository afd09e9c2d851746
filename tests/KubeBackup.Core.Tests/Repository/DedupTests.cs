using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Tests.Repository;

public sealed class DedupTests : RepositoryTestBase
{
    /// <summary>A Deployment as the API server returns it: metadata, managed fields, a pod template with env.</summary>
    private const string DeploymentTemplate = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"app-@I@","namespace":"team-@TEAM@","uid":"@UID@",
        "resourceVersion":"@RV@","generation":@GEN@,"creationTimestamp":"2026-11-0@DAY@T10:00:00Z",
        "labels":{"app":"app-@I@","tier":"@TIER@","release":"r@REL@"},
        "annotations":{"deployment.kubernetes.io/revision":"@GEN@","checksum/config":"@SUM@"},
        "managedFields":[{"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"apps/v1","time":"2026-11-01T10:00:00Z","fieldsType":"FieldsV1",
        "fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"app\"}":{"f:env":{},"f:image":{}}}}}}}}]},
        "spec":{"replicas":@REPLICAS@,"selector":{"matchLabels":{"app":"app-@I@"}},"template":{"metadata":{"labels":{"app":"app-@I@"}},
        "spec":{"containers":[{"name":"app","image":"registry.example.com/team-@TEAM@/app-@I@:@TAG@","env":[@ENV@],
        "resources":{"requests":{"cpu":"@CPU@m","memory":"@MEM@Mi"}},"ports":[{"containerPort":@PORT@}]}]}}},
        "status":{"replicas":@REPLICAS@,"readyReplicas":@REPLICAS@,"observedGeneration":@GEN@}}
        """;

    private static byte[] Deployment(int i, int generation)
    {
        var random = new Random(i * 7919 + generation);
        string Hex(int bytes) => Convert.ToHexString(Enumerable.Range(0, bytes).Select(_ => (byte)random.Next(256)).ToArray()).ToLowerInvariant();
        var env = string.Join(",", Enumerable.Range(0, 12).Select(e => "{\"name\":\"SETTING_" + e + "\",\"value\":\"" + Hex(12) + "\"}"));
        return Json(DeploymentTemplate
            .Replace("@I@", i.ToString()).Replace("@TEAM@", (i % 40).ToString()).Replace("@UID@", $"{i:D8}-0000-4000-8000-000000000000")
            .Replace("@RV@", (1000 + i + generation).ToString()).Replace("@GEN@", (generation + 1).ToString()).Replace("@DAY@", (1 + i % 9).ToString())
            .Replace("@TIER@", i % 3 == 0 ? "frontend" : "backend").Replace("@REL@", (i % 11).ToString()).Replace("@SUM@", Hex(32))
            .Replace("@REPLICAS@", (1 + i % 5).ToString()).Replace("@TAG@", Hex(6)).Replace("@ENV@", env)
            .Replace("@CPU@", (100 + i % 400).ToString()).Replace("@MEM@", (128 + i % 512).ToString()).Replace("@PORT@", (8000 + i % 1000).ToString()));
    }

    [Fact]
    public async Task ASecondBackupWithOnePercentChangedUploadsAtMostThreePercent()
    {
        var repository = await InitAsync(options: Options with { PackTargetSize = 16 * 1024 * 1024 });
        var generations = new int[10_000];
        IEnumerable<(ItemKey, byte[])> Items() => Enumerable.Range(0, generations.Length)
            .Select(i => (new ItemKey("apps", "v1", "deployments", $"team-{i % 40}", $"app-{i}"), Deployment(i, generations[i])));

        var before = Store.BytesWritten;
        var first = await WriteBackupAsync(repository, "first", Items());
        var firstByFolder = Store.BytesWrittenByFolder;
        var firstBytes = Store.BytesWritten - before;

        foreach (var i in Enumerable.Range(0, 100).Select(n => n * 97 + 13))
        {
            generations[i]++;
        }
        before = Store.BytesWritten;
        var second = await WriteBackupAsync(repository, "second", Items(), parent: "first");
        var secondBytes = Store.BytesWritten - before;

        Assert.Equal(10_000, first.Stats.Items);
        // The 100 changed objects, plus the manifest chunks around them.
        Assert.InRange(second.Stats.NewBlobs, 100, 300);
        Assert.True(secondBytes <= firstBytes * 0.03,
            $"the second backup wrote {secondBytes} bytes, {100.0 * secondBytes / firstBytes:F2}% of the first's {firstBytes} " +
            $"(by folder: {string.Join(", ", Store.BytesWrittenByFolder.Select(f => $"{f.Key} {f.Value - firstByFolder.GetValueOrDefault(f.Key)}"))}; blobs {second.Stats.NewBlobs}, bytes {second.Stats.BytesAdded})");

        var reader = await repository.OpenBackupAsync("second");
        var entries = await reader.GetManifestAsync();
        var changed = entries.Single(e => e.Key.Name == "app-13");
        Assert.Equal(Deployment(13, 1).Length, (await reader.ReadItemAsync(changed)).Length);
    }

    [Fact]
    public async Task WritingTheSameItemsTwiceStoresThemOnce()
    {
        var repository = await InitAsync();
        var items = Enumerable.Range(0, 300).Select(i => (Key($"cm-{i}"), Json($$"""{"n":{{i}},"pad":"{{new string('p', 500)}}"}"""))).ToList();
        await WriteBackupAsync(repository, "one", items);
        var packs = Files("packs").Count();

        var again = await WriteBackupAsync(repository, "two", items, parent: "one");

        Assert.Equal(0, again.Stats.NewBlobs);
        Assert.Equal(0, again.Stats.PacksAdded);
        Assert.Equal(packs, Files("packs").Count());
    }

    [Fact]
    public async Task AnInsertionInTheMiddleOfAStreamReStoresOnlyAFewChunks()
    {
        var repository = await InitAsync(chunker: ChunkerParameters.Default, options: Options with { PackTargetSize = 16 * 1024 * 1024 });
        const long size = 50L * 1024 * 1024;
        var first = await WriteStreamAsync(repository, "before", new GeneratedStream(size, seed: 42));
        var before = Store.BytesWritten;

        var second = await WriteStreamAsync(repository, "after", new GeneratedStream(size, seed: 42, insertAt: size / 2, insertion: Json("an insertion that shifts every byte after it")));
        var written = Store.BytesWritten - before;

        Assert.True(first.Stats.Blobs >= 25, $"{first.Stats.Blobs} chunks for 50 MB");
        Assert.InRange(second.Stats.NewBlobs, 1, 4);
        Assert.True(written < 10 * 1024 * 1024, $"the second stream wrote {written} bytes");

        var reader = await repository.OpenBackupAsync("after");
        var entry = (await reader.GetManifestAsync()).Single();
        await using var stream = await reader.OpenStreamAsync(entry);
        var expected = new GeneratedStream(size, seed: 42, insertAt: size / 2, insertion: Json("an insertion that shifts every byte after it"));
        Assert.True(await SameAsync(expected, stream));
    }

    private static async Task<BackupInfo> WriteStreamAsync(BackupRepository repository, string name, Stream data)
    {
        await using var writer = await repository.BeginBackupAsync(name);
        await writer.AddStreamAsync(new ItemKey("kubebackup.io", "v1", "volumedata", "db", "data-0"), data);
        return await writer.CommitAsync(Record());
    }

    private static async Task<bool> SameAsync(Stream expected, Stream actual)
    {
        var a = new byte[1 << 20];
        var b = new byte[1 << 20];
        while (true)
        {
            var n = await expected.ReadAtLeastAsync(a, a.Length, throwOnEndOfStream: false);
            var m = await actual.ReadAtLeastAsync(b, b.Length, throwOnEndOfStream: false);
            if (n != m || !a.AsSpan(0, n).SequenceEqual(b.AsSpan(0, m)))
            {
                return false;
            }
            if (n == 0)
            {
                return true;
            }
        }
    }

    [Fact]
    public async Task WritingALargeStreamKeepsTheBufferedBytesBounded()
    {
        using var key = RepositoryKey.FromPassphrase("p");
        var repository = await InitAsync(key, chunker: ChunkerParameters.Default,
            options: Options with { PackTargetSize = 16 * 1024 * 1024, MaxConcurrentUploads = 2 });
        const long size = 200L * 1024 * 1024;
        await using var writer = await repository.BeginBackupAsync("large");
        await writer.AddStreamAsync(new ItemKey("kubebackup.io", "v1", "volumedata", "db", "data-0"), new GeneratedStream(size, seed: 7));
        var info = await writer.CommitAsync(Record());

        Assert.Equal(size, info.Stats.LogicalBytes);
        Assert.True(writer.PeakBufferedBytes <= writer.PackBufferLimit + writer.StreamBufferSize,
            $"peak {writer.PeakBufferedBytes} above the bound {writer.PackBufferLimit + writer.StreamBufferSize}");
        Assert.True(writer.PeakBufferedBytes < size / 2, $"peak {writer.PeakBufferedBytes} grows with the stream");
        Assert.Equal(0, writer.BufferedBytes);
    }
}
