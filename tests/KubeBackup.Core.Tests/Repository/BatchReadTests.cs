using System.Collections.Concurrent;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Tests.Repository;

/// <summary>ReadItemsAsync: many small items with few range reads, each item with its own content or its own failure.</summary>
public sealed class BatchReadTests : RepositoryTestBase
{
    private async Task<(BackupRepository Repository, IReadOnlyList<ManifestEntry> Entries)> ManyItemsAsync()
    {
        var repository = await InitAsync();
        await WriteBackupAsync(repository, "many", Enumerable.Range(0, 500).Select(i => (Key($"item-{i:D3}"), Json($"{{\"n\":{i},\"pad\":\"{new string('x', i % 50)}\"}}"))));
        var reader = await repository.OpenBackupAsync("many");
        return (repository, await reader.GetManifestAsync());
    }

    [Fact]
    public async Task ItemsOfOnePackAreReadWithAFewRangeReadsAndComeBackWhole()
    {
        var (repository, entries) = await ManyItemsAsync();
        var reader = await repository.OpenBackupAsync("many");
        var before = Store.RangeReads;
        var read = new ConcurrentDictionary<string, string>();

        await reader.ReadItemsAsync(entries, 4, (entry, content, failure) =>
        {
            Assert.Null(failure);
            read[entry.Key.Name] = System.Text.Encoding.UTF8.GetString(content!);
            return ValueTask.CompletedTask;
        });

        Assert.Equal(500, read.Count);
        Assert.Equal("{\"n\":7,\"pad\":\"xxxxxxx\"}", read["item-007"]);
        Assert.True(Store.RangeReads - before < 10, $"{Store.RangeReads - before} range reads for 500 items");
    }

    [Fact]
    public async Task ADamagedBlobFailsOnlyItsItemWithTheReason()
    {
        var (repository, entries) = await ManyItemsAsync();
        var victim = entries.Single(e => e.Key.Name == "item-100").Blobs[0];
        var pack = Path.Combine(Inner.RootDirectory, RepositoryLayout.Pack(victim.PackId));
        var bytes = await File.ReadAllBytesAsync(pack);
        bytes[victim.Offset + 3] ^= 0x40;
        await File.WriteAllBytesAsync(pack, bytes);
        var reader = await repository.OpenBackupAsync("many");
        var failures = new ConcurrentBag<(string, KbException)>();
        var ok = 0;

        await reader.ReadItemsAsync(entries, 4, (entry, content, failure) =>
        {
            if (failure is null)
            {
                Interlocked.Increment(ref ok);
            }
            else
            {
                failures.Add((entry.Key.Name, failure));
            }
            return ValueTask.CompletedTask;
        });

        var (name, error) = Assert.Single(failures);
        Assert.Equal("item-100", name);
        Assert.Equal(ErrorIds.BlobCorrupted, error.ErrorId);
        Assert.Contains("item-100", error.Message);
        Assert.Equal(499, ok);
    }

    [Fact]
    public async Task AMissingPackFailsItsItemsAsMissing()
    {
        var (repository, entries) = await ManyItemsAsync();
        File.Delete(Path.Combine(Inner.RootDirectory, RepositoryLayout.Pack(entries[0].Blobs[0].PackId)));
        var reader = await repository.OpenBackupAsync("many");
        var failures = new ConcurrentBag<KbException>();

        await reader.ReadItemsAsync(entries, 4, (_, _, failure) =>
        {
            if (failure is not null)
            {
                failures.Add(failure);
            }
            return ValueTask.CompletedTask;
        });

        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.Equal(ErrorIds.PackMissing, f.ErrorId));
    }
}
