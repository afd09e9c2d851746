using KubeBackup.Core.Errors;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Tests.Repository;

public sealed class IntegrityTests : RepositoryTestBase
{
    private static readonly ItemKey Victim = Key("victim", "prod");

    /// <summary>Two backups sharing the victim's blob, and an item only the second has.</summary>
    private async Task<(BackupRepository Repository, BlobRef Blob)> TwoBackupsAsync(bool encrypted)
    {
        using var key = encrypted ? Passphrase() : null;
        var repository = await InitAsync(key);
        await WriteBackupAsync(repository, "monday", [(Victim, Json("{\"victim\":true}")), (Key("other"), Json("{\"other\":1}"))]);
        await WriteBackupAsync(repository, "tuesday", [(Victim, Json("{\"victim\":true}")), (Key("other"), Json("{\"other\":2}"))]);
        var entries = await (await repository.OpenBackupAsync("tuesday")).GetManifestAsync();
        return (repository, entries.Single(e => e.Key == Victim).Blobs.Single());
    }

    private string PackPath(BlobRef blob) => Path.Combine(Inner.RootDirectory, RepositoryLayout.Pack(blob.PackId));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ABitFlipFailsThatItemAndVerifyNamesItAndTheBackups(bool encrypted)
    {
        var (repository, blob) = await TwoBackupsAsync(encrypted);
        var bytes = await File.ReadAllBytesAsync(PackPath(blob));
        bytes[blob.Offset + blob.Length - 1] ^= 0x10;
        await File.WriteAllBytesAsync(PackPath(blob), bytes);

        var reader = await repository.OpenBackupAsync("monday");
        var entries = await reader.GetManifestAsync();
        var e = await ThrowsKb(ErrorIds.BlobCorrupted, () => reader.ReadItemAsync(entries.Single(x => x.Key == Victim)));
        Assert.Contains(Victim.ToString(), e.Message);
        Assert.Contains(blob.PackId, e.Message);
        Assert.Contains("monday", e.Message);
        Assert.Equal(Json("{\"other\":1}"), await reader.ReadItemAsync(entries.Single(x => x.Key.Name == "other")));

        var result = await repository.VerifyAsync();
        Assert.False(result.IsHealthy);
        Assert.Equal(["monday", "tuesday"], result.AffectedBackups);
        Assert.All(result.Damaged, d =>
        {
            Assert.Equal(Victim, d.Item);
            Assert.Equal(blob.Id, d.BlobId);
            Assert.Equal(blob.PackId, d.PackId);
        });
        Assert.Equal(2, result.Damaged.Count);
        Assert.Contains(Sink.Warnings, w => w.Contains("monday") && w.Contains(Victim.ToString()));
        Assert.Contains(Sink.All, m => m.StartsWith("PROGRESS", StringComparison.Ordinal));

        var one = await repository.VerifyAsync(["tuesday"]);
        Assert.Equal(["tuesday"], one.AffectedBackups);
    }

    [Fact]
    public async Task ATruncatedPackFailsTheItemsBeyondTheCut()
    {
        var (repository, blob) = await TwoBackupsAsync(encrypted: false);
        var bytes = await File.ReadAllBytesAsync(PackPath(blob));
        await File.WriteAllBytesAsync(PackPath(blob), bytes[..(int)(blob.Offset + blob.Length / 2)]);

        var reader = await repository.OpenBackupAsync("monday");
        var entry = (await reader.GetManifestAsync()).Single(x => x.Key == Victim);
        var e = await ThrowsKb(ErrorIds.BlobCorrupted, () => reader.ReadItemAsync(entry));
        Assert.Contains("truncated", e.Message);
        Assert.Contains(blob.PackId, e.Message);

        var result = await repository.VerifyAsync();
        Assert.Contains(result.Damaged, d => d.Item == Victim && d.Reason.Contains("truncated"));
        Assert.Contains("monday", result.AffectedBackups);
    }

    [Fact]
    public async Task AMissingPackIsPackMissing()
    {
        var (repository, blob) = await TwoBackupsAsync(encrypted: true);
        File.Delete(PackPath(blob));

        var reader = await repository.OpenBackupAsync("tuesday");
        var entries = await reader.GetManifestAsync();
        var e = await ThrowsKb(ErrorIds.PackMissing, () => reader.ReadItemAsync(entries.Single(x => x.Key == Victim)));
        Assert.Contains(blob.PackId, e.Message);
        Assert.Contains(Victim.ToString(), e.Message);

        var result = await repository.VerifyAsync();
        Assert.Contains(result.Damaged, d => d.Item == Victim && d.Reason.Contains("missing"));
        Assert.Equal(["monday", "tuesday"], result.AffectedBackups);
    }

    [Fact]
    public async Task ABlobMovedUnderAnotherIdFailsItsTag()
    {
        using var key = Passphrase();
        var repository = await InitAsync(key);
        await WriteBackupAsync(repository, "b", [(Key("a"), Json("{\"a\":1}")), (Key("b"), Json("{\"b\":2}"))]);
        var reader = await repository.OpenBackupAsync("b");
        var entries = await reader.GetManifestAsync();
        var a = entries.Single(e => e.Key.Name == "a");
        var b = entries.Single(e => e.Key.Name == "b");
        var swapped = a with { Blobs = [b.Blobs[0] with { Id = a.Blobs[0].Id }] };

        var e = await ThrowsKb(ErrorIds.BlobCorrupted, () => reader.ReadItemAsync(swapped));
        Assert.Contains("authentication tag", e.Message);
    }

    [Fact]
    public async Task AHealthyRepositoryVerifies()
    {
        var (repository, _) = await TwoBackupsAsync(encrypted: true);
        var result = await repository.VerifyAsync();
        Assert.True(result.IsHealthy);
        Assert.Empty(result.AffectedBackups);
        Assert.True(result.BlobsChecked >= 3);
    }

    [Fact]
    public async Task ADamagedManifestIsReported()
    {
        var (repository, _) = await TwoBackupsAsync(encrypted: false);
        var path = Path.Combine(Inner.RootDirectory, RepositoryLayout.BackupManifest("monday"));
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^2] ^= 1;
        await File.WriteAllBytesAsync(path, bytes);

        await ThrowsKb(ErrorIds.ManifestCorrupted, () => repository.OpenBackupAsync("monday"));
        var result = await repository.VerifyAsync();
        Assert.Equal(["monday"], result.AffectedBackups);
        Assert.Null(result.Damaged.Single().Item);
    }
}
