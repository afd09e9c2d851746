using System.Security.Cryptography;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Tests.Repository;

public sealed class PruneTests : RepositoryTestBase
{
    private static readonly PruneOptions NoGrace = new() { GracePeriod = TimeSpan.Zero };

    [Fact]
    public async Task ACrashBetweenPackUploadAndCommitLeavesAValidRepositoryAndPruneRemovesTheOrphans()
    {
        var repository = await InitAsync();
        await WriteBackupAsync(repository, "good", [(Key("kept"), Json("{\"kept\":true}"))]);
        var goodPacks = Files("packs").ToHashSet();

        // A separate "process" whose storage goes away after its packs are uploaded.
        var doomedStore = new CountingObjectStore(Inner);
        var crashing = await OpenAsync(store: doomedStore, options: Options with { LockStaleAfter = TimeSpan.FromMilliseconds(300) });
        var writer = await crashing.BeginBackupAsync("crashed");
        await writer.AddStreamAsync(Key("dump"), new MemoryStream(RandomNumberGenerator.GetBytes(3 * 1024 * 1024)));
        await writer.AddItemAsync(Key("kept"), Json("{\"kept\":true}"));
        await WaitForPacksAsync(writer, 2);
        doomedStore.Crash();
        await Assert.ThrowsAnyAsync<Exception>(() => writer.CommitAsync(Record()));
        await writer.DisposeAsync();
        var orphans = Files("packs").Except(goodPacks).ToList();
        Assert.NotEmpty(orphans);
        Assert.NotEmpty(Files("locks"));
        Assert.True(orphans.All(File.Exists), "a crashed process cleans up nothing");

        var after = await OpenAsync(options: Options with { LockStaleAfter = TimeSpan.FromMilliseconds(300) });
        Assert.Equal(["good"], (await after.ListBackupsAsync()).Select(b => b.Name));
        await WriteBackupAsync(after, "next", [(Key("kept"), Json("{\"kept\":true}")), (Key("new"), Json("{\"new\":1}"))]);

        await Task.Delay(400);
        var graced = await after.PruneAsync();
        Assert.Equal(0, graced.PacksDeleted);
        Assert.True(orphans.All(File.Exists), "orphans younger than the grace period stay");

        var pruned = await after.PruneAsync(NoGrace);
        Assert.True(pruned.PacksDeleted >= orphans.Count);
        Assert.True(orphans.All(o => !File.Exists(o)));
        Assert.Empty(Files("locks"));
        var verify = await after.VerifyAsync();
        Assert.True(verify.IsHealthy);
        Assert.Equal(2, verify.Backups.Count);
        await WriteBackupAsync(after, "crashed", [(Key("x"), Json("{}"))]);
    }

    [Fact]
    public async Task AnOrphanManifestWithoutARecordIsRemoved()
    {
        var repository = await InitAsync();
        await WriteBackupAsync(repository, "half", [(Key("x"), Json("{\"x\":1}"))]);
        // A crash after the manifest but before the record looks like this.
        await Inner.DeleteAsync([RepositoryLayout.BackupRecord("half")], default);
        Assert.Empty(await repository.ListBackupsAsync());

        var result = await repository.PruneAsync(NoGrace);
        Assert.Equal(1, result.OrphanBackupFilesDeleted);
        Assert.Empty(Files("backups"));
        Assert.Empty(Files("packs"));
    }

    [Fact]
    public async Task PruneRemovesOnlyWhatNothingReferences()
    {
        var repository = await InitAsync();
        var shared = Enumerable.Range(0, 200).Select(i => (Key($"shared-{i}"), Json($$"""{"i":{{i}},"pad":"{{Convert.ToHexString(RandomNumberGenerator.GetBytes(2000))}}"}"""))).ToList();
        await WriteBackupAsync(repository, "old", shared.Append((Key("only-old"), RandomNumberGenerator.GetBytes(2 * 1024 * 1024))));
        var onlyNew = RandomNumberGenerator.GetBytes(2 * 1024 * 1024);
        await using (var writer = await repository.BeginBackupAsync("new"))
        {
            foreach (var (key, json) in shared)
            {
                await writer.AddItemAsync(key, json);
            }
            await writer.AddStreamAsync(Key("only-new"), new MemoryStream(onlyNew));
            await writer.CommitAsync(Record());
        }

        var nothing = await repository.PruneAsync(NoGrace);
        Assert.Equal(0, nothing.PacksDeleted);

        await repository.DeleteBackupAsync("old");
        await ThrowsKb(ErrorIds.BackupNotFound, () => repository.DeleteBackupAsync("old"));
        Assert.Equal(["new"], (await repository.ListBackupsAsync()).Select(b => b.Name));
        var packsBefore = Files("packs").Count();
        var result = await repository.PruneAsync(NoGrace);

        Assert.True(result.PacksDeleted > 0, "the packs only 'old' used are gone");
        Assert.Equal(packsBefore - result.PacksDeleted, Files("packs").Count());
        // The pack 'old' shares with the common items stays whole (no repacking); the rest of its 2 MiB goes.
        Assert.True(result.BytesFreed >= 1024 * 1024, $"{result.BytesFreed} bytes freed");
        Assert.True((await repository.VerifyAsync()).IsHealthy);
        Assert.Single(Files("index"));

        // The rewritten index still dedups: writing what 'new' holds again adds nothing, manifest chunks included.
        BackupInfo again;
        await using (var writer = await repository.BeginBackupAsync("again"))
        {
            foreach (var (key, json) in shared)
            {
                await writer.AddItemAsync(key, json);
            }
            await writer.AddStreamAsync(Key("only-new"), new MemoryStream(onlyNew));
            again = await writer.CommitAsync(Record());
        }
        Assert.Equal(0, again.Stats.NewBlobs);
        Assert.Equal(0, again.Stats.PacksAdded);
        var reader = await repository.OpenBackupAsync("again");
        foreach (var entry in await reader.GetManifestAsync())
        {
            Assert.Equal(entry.Key.Name == "only-new" ? onlyNew : shared.Single(s => s.Item1 == entry.Key).Item2, await reader.ReadItemAsync(entry));
        }
    }

    [Fact]
    public async Task PruneWaitsForNoBackupAndASecondPrunerIsLocked()
    {
        var repository = await InitAsync();
        await using (var running = await repository.BeginBackupAsync("running"))
        {
            await running.AddItemAsync(Key("x"), Json("{}"));
            var e = await ThrowsKb(ErrorIds.RepositoryLocked, () => repository.PruneAsync(NoGrace));
            Assert.Contains("backup running", e.Message);
            await running.CommitAsync(Record());
        }

        var exclusive = LockJson("prune", exclusive: true, DateTimeOffset.UtcNow);
        await Inner.PutAsync(RepositoryLayout.Lock("20261123000000-other"), new MemoryStream(exclusive), default);
        var locked = await ThrowsKb(ErrorIds.RepositoryLocked, () => repository.PruneAsync(NoGrace));
        Assert.Contains("other-host", locked.Message);
        await ThrowsKb(ErrorIds.RepositoryLocked, () => repository.BeginBackupAsync("blocked"));
        Assert.Single(Files("locks"));
    }

    [Fact]
    public async Task AStaleLockIsTakenOver()
    {
        var repository = await InitAsync();
        await Inner.PutAsync(RepositoryLayout.Lock("20261120000000-stale"),
            new MemoryStream(LockJson("backup crashed", exclusive: false, DateTimeOffset.UtcNow.AddHours(-2))), default);

        await repository.PruneAsync(NoGrace);

        Assert.Empty(Files("locks"));
        Assert.Contains(Sink.Warnings, w => w.Contains("stale lock") && w.Contains("backup crashed"));
    }

    [Fact]
    public async Task ALongBackupRefreshesItsLockSoItNeverGoesStale()
    {
        // Generous against a loaded machine: a refresh every 100 ms, stale only after 3 s without one.
        var options = Options with { LockStaleAfter = TimeSpan.FromSeconds(3), LockRefreshInterval = TimeSpan.FromMilliseconds(100) };
        var repository = await OpenAsync(options: options, store: (await InitAsync()).Store);
        await using var writer = await repository.BeginBackupAsync("long");
        await writer.AddItemAsync(Key("x"), Json("{}"));
        await Task.Delay(3500);
        await ThrowsKb(ErrorIds.RepositoryLocked, () => repository.PruneAsync(NoGrace));
        Assert.DoesNotContain(Sink.Warnings, w => w.Contains("stale"));
        await writer.CommitAsync(Record());
        Assert.Single(await repository.ListBackupsAsync());
        Assert.Empty(Files("locks"));
    }

    [Fact]
    public async Task ABackupWhoseLockWasTakenOverDoesNotCommit()
    {
        var repository = await InitAsync();
        await using var writer = await repository.BeginBackupAsync("late");
        await writer.AddItemAsync(Key("x"), Json("{}"));
        // What a pruner's takeover of a lock it found stale does.
        await Inner.DeleteAsync(Files("locks").Select(f => RepositoryLayout.Lock(Path.GetFileName(f))).ToList(), default);

        await ThrowsKb(ErrorIds.RepositoryLocked, () => writer.CommitAsync(Record()));
        Assert.Empty(await repository.ListBackupsAsync());
        Assert.Null(await Inner.StatAsync(RepositoryLayout.BackupRecord("late"), default));
    }

    [Fact]
    public async Task PruneStopsWithoutDeletingWhenAManifestCannotBeRead()
    {
        var repository = await InitAsync();
        await WriteBackupAsync(repository, "damaged", [(Key("x"), Json("{\"x\":1}"))]);
        await WriteBackupAsync(repository, "gone", [(Key("y"), Json("{\"y\":1}"))]);
        await repository.DeleteBackupAsync("gone");
        await Inner.DeleteAsync([RepositoryLayout.BackupManifest("damaged")], default);
        var packs = Files("packs").ToList();

        await ThrowsKb(ErrorIds.ManifestCorrupted, () => repository.PruneAsync(NoGrace));
        Assert.Equal(packs, Files("packs").ToList());
        Assert.Empty(Files("locks"));
    }

    [Fact]
    public async Task ACancelledBackupLeavesNoBackupAndNoLock()
    {
        var repository = await InitAsync();
        using var cancel = new CancellationTokenSource();
        await using (var writer = await repository.BeginBackupAsync("cancelled"))
        {
            await writer.AddItemAsync(Key("x"), Json("{}"));
            cancel.CancelAfter(TimeSpan.FromMilliseconds(200));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.AddStreamAsync(Key("endless"), new GeneratedStream(long.MaxValue / 2, seed: 3), cancel.Token));
        }
        Assert.Empty(await repository.ListBackupsAsync());
        Assert.Empty(Files("locks"));
        Assert.Empty(Files("packs"));
        // The cmdlet can still record the failure under the same name.
        await using var failed = await repository.BeginBackupAsync("cancelled");
        var info = await failed.CommitAsync(Record("Failed"));
        Assert.Equal("Failed", (string?)info.Record["phase"]);
        Assert.Equal(0, info.Stats.Items);
    }

    private static byte[] LockJson(string operation, bool exclusive, DateTimeOffset time) => Json($$"""
        {"id":"x","exclusive":{{(exclusive ? "true" : "false")}},"operation":"{{operation}}","owner":"someone","host":"other-host","pid":4242,
         "createdAt":"{{time:O}}","refreshedAt":"{{time:O}}"}
        """);
}
