using System.Management.Automation;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Backups;

/// <summary>Remove-KbBackup: by name, from the pipeline, -Expired; confirmation rules; one prune at the end.</summary>
[Collection(ModuleCollection.Name)]
public sealed class RemoveBackupTests : BackupTestBase
{
    private const string ThreeBackups = """
        New-SeedBackup $repository nightly-1 -Items '-/v1/configmaps/prod/a'
        New-SeedBackup $repository nightly-2 -Phase Failed -Items '-/v1/configmaps/prod/b'
        New-SeedBackup $repository nightly-3 -Items '-/v1/configmaps/prod/c'
        """;

    [Fact]
    public void RemovesByNameWithForceAndWritesNothing()
    {
        Seed(ThreeBackups);

        var result = Session.Invoke("Remove-KbBackup nightly-1 -Force").ThrowIfErrors();

        Assert.Empty(result.Output);
        Assert.Equal(["nightly-2", "nightly-3"], BackupsOnDisk());
        Assert.Equal(["nightly-3", "nightly-2"], Names(Session.Invoke("Get-KbBackup").ThrowIfErrors()));
    }

    [Fact]
    public void PipedBackupsAreRemovedAndPassedThrough()
    {
        Seed(ThreeBackups);

        var result = Session.Invoke("Get-KbBackup -Phase Failed | Remove-KbBackup -Force -PassThru").ThrowIfErrors();

        Assert.Equal(["nightly-2"], Names(result));
        Assert.Equal("KubeBackup.Core.Backup.BackupSummary", result.Output[0].BaseObject.GetType().FullName);
        Assert.Equal(["nightly-1", "nightly-3"], BackupsOnDisk());
    }

    [Fact]
    public void WildcardsSelectSeveral()
    {
        Seed(ThreeBackups);

        Session.Invoke("Remove-KbBackup 'nightly-[12]' -Confirm:$false").ThrowIfErrors();

        Assert.Equal(["nightly-3"], BackupsOnDisk());
    }

    [Fact]
    public void ExpiredRemovesOnlyBackupsPastTheirExpiration()
    {
        Seed("""
            New-SeedBackup $repository old -Started ([datetimeoffset]::UtcNow.AddDays(-31)) -Expires ([datetimeoffset]::UtcNow.AddDays(-1))
            New-SeedBackup $repository just-expired -Expires ([datetimeoffset]::UtcNow.AddSeconds(-1))
            New-SeedBackup $repository fresh -Expires ([datetimeoffset]::UtcNow.AddDays(29))
            """);

        var result = Session.Invoke("Remove-KbBackup -Expired -Force -PassThru -Verbose").ThrowIfErrors();

        Assert.Equal(["just-expired", "old"], Names(result));
        Assert.Equal(["fresh"], BackupsOnDisk());
        Assert.Contains(result.Verbose, v => v.StartsWith("2 backup(s) in storage location 'default' expired", StringComparison.Ordinal));
    }

    [Fact]
    public void ExpiredOnAnEmptyLocationRemovesNothingWithoutError()
    {
        var result = Session.Invoke("Remove-KbBackup -Expired -Force").ThrowIfErrors();

        Assert.Empty(result.Output);
    }

    [Theory]
    [InlineData("Remove-KbBackup nightly-1 -WhatIf")]
    [InlineData("Remove-KbBackup nightly-1 -WhatIf -Force")]
    [InlineData("$WhatIfPreference = $true; Remove-KbBackup nightly-1 -Force")]
    [InlineData("Get-KbBackup | Remove-KbBackup -WhatIf -Force")]
    [InlineData("Remove-KbBackup -Expired -WhatIf -Force")]
    public void WhatIfRemovesNothingEvenWithForce(string command)
    {
        Seed(ThreeBackups.Replace("nightly-1 ", "nightly-1 -Expires ([datetimeoffset]::UtcNow.AddDays(-1)) ", StringComparison.Ordinal));

        var result = Session.Invoke(command).ThrowIfErrors();

        Assert.Empty(result.Output);
        Assert.Equal(["nightly-1", "nightly-2", "nightly-3"], BackupsOnDisk());
    }

    [Fact]
    public void WithoutForceItAsksAndAHostThatCannotAskRemovesNothing()
    {
        Seed(ThreeBackups);

        // This host cannot prompt, so asking is an error that shows the question.
        foreach (var command in new[] { "Remove-KbBackup nightly-1", "Remove-KbBackup nightly-1 -Force -Confirm" })
        {
            var asked = Session.Invoke(command).SingleError();
            Assert.StartsWith("HostFunctionNotImplemented,", asked.FullyQualifiedErrorId);
            Assert.Contains("on target \"nightly-1 (default)\"", asked.Exception.Message, StringComparison.Ordinal);
            Assert.Equal(["nightly-1", "nightly-2", "nightly-3"], BackupsOnDisk());
        }

        Session.Invoke("Remove-KbBackup nightly-1 -Force").ThrowIfErrors();
        Assert.Equal(["nightly-2", "nightly-3"], BackupsOnDisk());
    }

    [Fact]
    public void AMissingNameIsBackupNotFoundAndTheOthersAreRemoved()
    {
        Seed(ThreeBackups);

        var result = Session.Invoke("'nope', 'nightly-3' | Remove-KbBackup -Force");

        var error = result.SingleError();
        Assert.Equal("BackupNotFound,KubeBackup.Commands.RemoveKbBackupCommand", error.FullyQualifiedErrorId);
        Assert.Equal("nope", error.TargetObject);
        Assert.Equal(["nightly-1", "nightly-2"], BackupsOnDisk());
    }

    [Fact]
    public void PruningAfterTheDeleteFreesThePacksNothingReferences()
    {
        Seed(string.Join('\n', ThreeBackups.Split('\n').Take(2)));
        var removedPacks = Packs();
        Seed(ThreeBackups.Split('\n')[2]);
        var kept = Packs().Except(removedPacks).Order(StringComparer.Ordinal).ToList();
        // Packs younger than the prune grace period (1 h) are kept, in case a running backup uses them: age them all.
        foreach (var pack in Packs())
        {
            File.SetLastWriteTimeUtc(pack, DateTime.UtcNow.AddHours(-2));
        }

        var result = Session.Invoke("Remove-KbBackup nightly-1, nightly-2 -Force -Verbose").ThrowIfErrors();

        Assert.Equal(kept, Packs().Order(StringComparer.Ordinal));
        Assert.True(result.Verbose.Any(v => v.StartsWith($"Prune: deleted {removedPacks.Count} packs", StringComparison.Ordinal)), string.Join("\n", result.Verbose));
        var check = Session.Invoke("Test-KbBackup").ThrowIfErrors().Output.Single();
        Assert.Equal(true, Property(check, "Healthy"));
    }

    [Fact]
    public void PacksInTheGracePeriodAreKeptAndTheVerboseMessageSaysSo()
    {
        Seed(ThreeBackups);
        var before = Packs().Count;

        var result = Session.Invoke("Remove-KbBackup nightly-1 -Force -Verbose").ThrowIfErrors();

        Assert.Equal(before, Packs().Count);
        Assert.Contains(result.Verbose, v => v.StartsWith("Prune: deleted 0 packs", StringComparison.Ordinal) && v.Contains("younger than", StringComparison.Ordinal));
    }

    [Fact]
    public void AReadOnlyLocationReportsTheStorageErrorAndKeepsTheBackup()
    {
        Seed(ThreeBackups);
        Session.Invoke("New-KbStorageLocation -Name archive -Url $args[0] -ReadOnly", DefaultUrl).ThrowIfErrors();

        var result = Session.Invoke("Get-KbBackup nightly-1 -StorageLocation archive | Remove-KbBackup -Force");

        Assert.Equal("StorageLocationReadOnly,KubeBackup.Commands.RemoveKbBackupCommand", result.SingleError().FullyQualifiedErrorId);
        Assert.Equal(["nightly-1", "nightly-2", "nightly-3"], BackupsOnDisk());
    }
}
