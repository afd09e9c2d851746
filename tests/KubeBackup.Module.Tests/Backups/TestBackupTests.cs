using System.Management.Automation;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Backups;

/// <summary>Test-KbBackup: one result per backup, damage as a warning per item and a BackupDamaged error per backup.</summary>
[Collection(ModuleCollection.Name)]
public sealed class TestBackupTests : BackupTestBase
{
    private const string TwoBackups = """
        New-SeedBackup $repository first -Items 'apps/v1/deployments/prod/web', '-/v1/configmaps/prod/settings'
        New-SeedBackup $repository second -Items '-/v1/secrets/prod/tls'
        """;

    [Fact]
    public void WithoutANameEveryBackupIsCheckedWithProgress()
    {
        Seed(TwoBackups);

        var result = Session.Invoke("Test-KbBackup").ThrowIfErrors();

        Assert.Equal(["second", "first"], Names(result));
        Assert.All(result.Output, r => Assert.Equal(true, Property(r, "Healthy")));
        Assert.Equal(2L, Property(result.Output[1], "Items"));
        Assert.Equal("default", Property(result.Output[0], "StorageLocation"));
        Assert.Contains(result.Progress, p => p.Activity == "Verifying backups" && p.RecordType == ProgressRecordType.Processing);
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
    }

    [Fact]
    public void PipedBackupsAreCheckedTogether()
    {
        Seed(TwoBackups);

        var result = Session.Invoke("Get-KbBackup first | Test-KbBackup -Verbose").ThrowIfErrors();

        Assert.Equal(["first"], Names(result));
        Assert.Contains(result.Verbose, v => v.StartsWith("Checked ", StringComparison.Ordinal));
    }

    [Fact]
    public void ADamagedPackMakesTheBackupUnhealthyWithAnErrorAndAWarningPerItem()
    {
        Seed("New-SeedBackup $repository healthy -Items '-/v1/secrets/prod/tls'");
        var healthyPacks = Packs();
        Seed("New-SeedBackup $repository damaged -Items 'apps/v1/deployments/prod/web', 'apps/v1/deployments/prod/api'");
        // Damage one byte inside the blob of one item (not the manifest, which shares the pack).
        var blob = Session.Invoke("""
            . ([System.IO.Path]::Combine($args[0], 'Scripts', 'CoreAccess.ps1'))
            $repository = Open-TestRepository $args[1]
            $reader = Wait-Task ($repository.OpenBackupAsync('damaged', $script:None))
            $entry = (Wait-Task ($reader.GetManifestAsync($script:None))) | Where-Object { $_.Key.Name -eq 'web' }
            $entry.Blobs[0].PackId
            $entry.Blobs[0].Offset + [int]($entry.Blobs[0].Length / 2)
            $repository.Dispose()
            """, AppContext.BaseDirectory, DefaultRepository).ThrowIfErrors().Output;
        var pack = Packs().Single(p => Path.GetFileName(p) == blob[0].ToString());
        Assert.DoesNotContain(pack, healthyPacks);
        var bytes = File.ReadAllBytes(pack);
        bytes[Convert.ToInt64(blob[1].BaseObject, System.Globalization.CultureInfo.InvariantCulture)] ^= 0x5A;
        File.WriteAllBytes(pack, bytes);

        var result = Session.Invoke("Test-KbBackup; 'status:' + $?");

        var verifications = result.Output.Where(o => o.BaseObject is not string).ToList();
        Assert.Equal(["damaged", "healthy"], Names(verifications));
        Assert.Equal(false, Property(verifications[0], "Healthy"));
        Assert.Equal(true, Property(verifications[1], "Healthy"));
        var damage = ((System.Collections.IEnumerable)Property(verifications[0], "Damaged")!).Cast<object>().Select(d => d.ToString()!).ToList();
        Assert.StartsWith("apps/v1 deployments prod/web: ", Assert.Single(damage), StringComparison.Ordinal);
        var error = result.SingleError();
        Assert.Equal("BackupDamaged,KubeBackup.Commands.TestKbBackupCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal("damaged", error.TargetObject);
        Assert.Contains(result.Warnings, w => w.StartsWith("Backup 'damaged': item apps/v1 deployments prod/web is damaged", StringComparison.Ordinal));
        Assert.Equal("status:False", result.Output.Last().BaseObject);

        var stopped = Session.Invoke("Test-KbBackup damaged -ErrorAction Stop; 'not reached'");
        Assert.NotNull(stopped.TerminatingError);
        Assert.DoesNotContain(stopped.Output, o => "not reached".Equals(o.BaseObject));
    }

    [Fact]
    public void AMissingBackupIsBackupNotFoundAndTheRestIsChecked()
    {
        Seed(TwoBackups);

        var result = Session.Invoke("Test-KbBackup nope, first");

        Assert.Equal(["first"], Names(result));
        Assert.Equal("BackupNotFound,KubeBackup.Commands.TestKbBackupCommand", result.SingleError().FullyQualifiedErrorId);
    }
}
