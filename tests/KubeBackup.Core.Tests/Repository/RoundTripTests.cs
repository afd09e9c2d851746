using System.Security.Cryptography;
using System.Text;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Tests.Repository;

public sealed class RoundTripTests : RepositoryTestBase
{
    public static TheoryData<RepositoryCompression, string> Modes => new()
    {
        { RepositoryCompression.Zstd, "none" },
        { RepositoryCompression.None, "none" },
        { RepositoryCompression.Zstd, "passphrase" },
        { RepositoryCompression.None, "keyfile" },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task ItemsAndStreamsComeBackByteForByte(RepositoryCompression compression, string encryption)
    {
        var keyFile = RandomNumberGenerator.GetBytes(48);
        RepositoryKey? NewKey() => encryption switch
        {
            "passphrase" => Passphrase(),
            "keyfile" => RepositoryKey.FromKeyFile(keyFile),
            _ => null,
        };
        using (var init = NewKey())
        {
            await InitAsync(init, compression);
        }
        using var key = NewKey();
        var repository = await OpenAsync(key);
        Assert.Equal(encryption != "none", repository.IsEncrypted);

        var items = Enumerable.Range(0, 50).Select(i => (Key(i % 2 == 0 ? $"cm-{i}" : $"node-{i}", i % 2 == 0 ? "apps" : null, i % 2 == 0 ? "configmaps" : "nodes"),
            Json($$$"""{"kind":"ConfigMap","metadata":{"name":"cm-{{{i}}}"},"data":{"k":"{{{new string('x', i * 10)}}}"}}"""))).ToList();
        var big = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        var large = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"big\":\"object\"}", 40_000)));
        await using (var writer = await repository.BeginBackupAsync("first"))
        {
            foreach (var (itemKey, json) in items)
            {
                await writer.AddItemAsync(itemKey, json);
            }
            await writer.AddItemAsync(Key("huge"), large);
            await writer.AddItemAsync(Key("empty"), Array.Empty<byte>());
            await writer.AddStreamAsync(Key("dump", "db", "mysqldumps"), new MemoryStream(big));
            await writer.AddStreamAsync(Key("empty-dump", "db", "mysqldumps"), new MemoryStream());
            var info = await writer.CommitAsync(Record(), Json("{\"level\":\"info\",\"msg\":\"done\"}\n"));
            Assert.Equal(52, info.Stats.Items);
            Assert.Equal(2, info.Stats.Streams);
        }

        var reader = await repository.OpenBackupAsync("first");
        var entries = await reader.GetManifestAsync();
        Assert.Equal(54, entries.Count);
        Assert.Equal(entries.OrderBy(e => e.Key.Namespace ?? "", StringComparer.Ordinal).ThenBy(e => e.Key.Name, StringComparer.Ordinal).Select(e => e.Key),
            entries.Select(e => e.Key));
        foreach (var (itemKey, json) in items)
        {
            Assert.Equal(json, await reader.ReadItemAsync(entries.Single(e => e.Key == itemKey)));
        }
        var huge = entries.Single(e => e.Key.Name == "huge");
        Assert.True(huge.Blobs.Count > 1, "an item above the maximum chunk is chunked");
        Assert.Equal(large, await reader.ReadItemAsync(huge));
        Assert.Empty(await reader.ReadItemAsync(entries.Single(e => e.Key.Name == "empty")));

        var dump = entries.Single(e => e.Key.Name == "dump");
        Assert.Equal(ManifestEntryKind.Stream, dump.Kind);
        Assert.Equal(big.Length, dump.Size);
        Assert.True(dump.Blobs.Count > 3);
        await using (var stream = await reader.OpenStreamAsync(dump))
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy, 7919);
            Assert.Equal(big, copy.ToArray());
        }
        await using (var stream = await reader.OpenStreamAsync(entries.Single(e => e.Key.Name == "empty-dump")))
        {
            Assert.Equal(-1, stream.ReadByte());
        }
        Assert.Equal("{\"level\":\"info\",\"msg\":\"done\"}\n", Encoding.UTF8.GetString(await repository.ReadBackupLogAsync("first")));
        Assert.Equal("Completed", (string?)reader.Info.Record["phase"]);
    }

    [Fact]
    public async Task AnEncryptedRepositoryStoresNoPlaintext()
    {
        using var key = Passphrase();
        var repository = await InitAsync(key);
        const string marker = "super-secret-database-password";
        await WriteBackupAsync(repository, "secrets", [(Key("db-credentials", resource: "secrets"), Json($$$"""{"data":{"password":"{{{marker}}}"}}"""))]);

        foreach (var file in Files(""))
        {
            var text = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file));
            Assert.DoesNotContain(marker, text);
            Assert.DoesNotContain("db-credentials", text);
        }
        var config = await File.ReadAllTextAsync(Path.Combine(Inner.RootDirectory, RepositoryLayout.ConfigKey));
        Assert.Contains("PBKDF2-SHA256", config);
        Assert.DoesNotContain("correct horse", config);
    }

    [Fact]
    public async Task BackupsAreListedNewestFirstWithTheirRecords()
    {
        var repository = await InitAsync();
        await WriteBackupAsync(repository, "a", [(Key("x"), Json("{}"))]);
        await Task.Delay(20);
        await WriteBackupAsync(repository, "b", [(Key("x"), Json("{}"))], parent: "a");
        await Task.Delay(20);
        await WriteBackupAsync(repository, "c", [(Key("y"), Json("{}"))], parent: "b");

        var backups = await repository.ListBackupsAsync();
        Assert.Equal(["c", "b", "a"], backups.Select(b => b.Name));
        Assert.Equal("b", backups[0].Parent);
        Assert.Equal("Completed", (string?)backups[0].Record["phase"]);
        Assert.Equal("c", (string?)backups[0].Record["repository"]!["name"]);
        await ThrowsKb(ErrorIds.BackupNotFound, () => repository.OpenBackupAsync("missing"));
        await ThrowsKb(ErrorIds.BackupNotFound, () => repository.BeginBackupAsync("d", parentName: "missing"));
    }

    [Fact]
    public async Task ANameThatExistsIsRefusedAndNothingIsOverwritten()
    {
        var repository = await InitAsync();
        await WriteBackupAsync(repository, "daily", [(Key("x"), Json("{\"v\":1}"))]);
        var before = await File.ReadAllBytesAsync(Path.Combine(Inner.RootDirectory, RepositoryLayout.BackupRecord("daily")));

        await ThrowsKb(ErrorIds.BackupAlreadyExists, () => repository.BeginBackupAsync("daily"));

        // Two writers of one name: the second is refused while the first is open.
        await using var first = await repository.BeginBackupAsync("weekly");
        await ThrowsKb(ErrorIds.BackupAlreadyExists, () => repository.BeginBackupAsync("weekly"));
        await first.AddItemAsync(Key("x"), Json("{\"v\":2}"));
        await first.CommitAsync(Record());

        Assert.Equal(before, await File.ReadAllBytesAsync(Path.Combine(Inner.RootDirectory, RepositoryLayout.BackupRecord("daily"))));
        var reader = await repository.OpenBackupAsync("daily");
        Assert.Equal(Json("{\"v\":1}"), await reader.ReadItemAsync((await reader.GetManifestAsync()).Single()));
    }

    [Fact]
    public async Task ACommitIsRefusedWhenTheNameAppearedMeanwhile()
    {
        var repository = await InitAsync();
        await using var writer = await repository.BeginBackupAsync("race");
        await writer.AddItemAsync(Key("x"), Json("{\"mine\":true}"));
        // Another tool committed the same name while this writer ran.
        await Inner.PutAsync(RepositoryLayout.BackupRecord("race"), new MemoryStream(Json("{\"theirs\":true}")), default);

        await ThrowsKb(ErrorIds.BackupAlreadyExists, () => writer.CommitAsync(Record()));
        Assert.Equal(Json("{\"theirs\":true}"), await File.ReadAllBytesAsync(Path.Combine(Inner.RootDirectory, RepositoryLayout.BackupRecord("race"))));
        Assert.Null(await Inner.StatAsync(RepositoryLayout.BackupManifest("race"), default));
    }

    [Fact]
    public async Task InvalidNamesDuplicateItemsAndBadRecordsAreRefused()
    {
        var repository = await InitAsync();
        await ThrowsKb(ErrorIds.BackupNameInvalid, () => repository.BeginBackupAsync("../escape"));
        await ThrowsKb(ErrorIds.BackupNameInvalid, () => repository.BeginBackupAsync("a/b"));
        await using var writer = await repository.BeginBackupAsync("ok");
        await writer.AddItemAsync(Key("x"), Json("{}"));
        await ThrowsKb(ErrorIds.BackupItemDuplicate, () => writer.AddItemAsync(Key("x"), Json("{\"other\":1}")));
        await ThrowsKb(ErrorIds.BackupRecordInvalid, () => writer.CommitAsync(Json("[1,2]")));
        await writer.CommitAsync(Record());
        Assert.Single(await repository.ListBackupsAsync());
    }

    [Fact]
    public async Task AnAbortedBackupLeavesNothingBehind()
    {
        var repository = await InitAsync();
        await using (var writer = await repository.BeginBackupAsync("aborted"))
        {
            await writer.AddStreamAsync(Key("data"), new MemoryStream(RandomNumberGenerator.GetBytes(3 * 1024 * 1024)));
            await WaitForPacksAsync(writer, 2);
            Assert.NotEmpty(Files("packs"));
            await writer.AbortAsync();
            await Assert.ThrowsAsync<InvalidOperationException>(() => writer.AddItemAsync(Key("late"), Json("{}")));
        }
        Assert.Empty(await repository.ListBackupsAsync());
        Assert.Empty(Files("packs"));
        Assert.Empty(Files("locks"));
        Assert.Empty(Files("backups"));
        await WriteBackupAsync(repository, "aborted", [(Key("x"), Json("{}"))]);
    }

    [Fact]
    public async Task ConcurrentAddsToOneWriterAndConcurrentBackupsToOneRepository()
    {
        var repository = await InitAsync();
        var other = await OpenAsync();
        async Task<BackupInfo> Write(BackupRepository repo, string name)
        {
            await using var writer = await repo.BeginBackupAsync(name);
            await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
                await writer.AddItemAsync(Key($"item-{i}", $"ns-{i % 7}"), Json($$"""{"i":{{i}},"shared":"{{(i % 3 == 0 ? "same" : name)}}"}"""), ct));
            return await writer.CommitAsync(Record());
        }

        var both = await Task.WhenAll(Write(repository, "one"), Write(other, "two"));
        Assert.All(both, b => Assert.Equal(2000, b.Stats.Items));
        foreach (var name in new[] { "one", "two" })
        {
            var reader = await repository.OpenBackupAsync(name);
            var entries = await reader.GetManifestAsync();
            Assert.Equal(2000, entries.Count);
            // One reader serves concurrent restores.
            await Parallel.ForEachAsync(entries, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (entry, ct) =>
            {
                var i = int.Parse(entry.Key.Name["item-".Length..]);
                Assert.Equal(Json($$"""{"i":{{i}},"shared":"{{(i % 3 == 0 ? "same" : name)}}"}"""), await reader.ReadItemAsync(entry, ct));
            });
        }
        Assert.True((await repository.VerifyAsync()).IsHealthy);
        Assert.Empty(Files("locks"));
    }

    [Fact]
    public async Task RestoreFilesAndSchedulesAreStored()
    {
        using var key = Passphrase();
        var repository = await InitAsync(key);
        await repository.PutRestoreFileAsync("restore-1", "restore.json", Json("{\"phase\":\"Completed\"}"));
        await repository.PutRestoreFileAsync("restore-1", "results.json", Json("[]"));
        Assert.Equal(Json("{\"phase\":\"Completed\"}"), await repository.GetRestoreFileAsync("restore-1", "restore.json"));
        Assert.Null(await repository.GetRestoreFileAsync("restore-1", "missing.json"));
        Assert.Equal(["restore-1"], await repository.ListRestoresAsync());

        await repository.PutScheduleAsync("nightly", Json("{\"cron\":\"0 2 * * *\"}"));
        await repository.PutScheduleAsync("nightly", Json("{\"cron\":\"0 3 * * *\"}"));
        Assert.Equal(Json("{\"cron\":\"0 3 * * *\"}"), await repository.GetScheduleAsync("nightly"));
        Assert.Equal(["nightly"], await repository.ListSchedulesAsync());
        await repository.DeleteScheduleAsync("nightly");
        Assert.Null(await repository.GetScheduleAsync("nightly"));
    }
}
