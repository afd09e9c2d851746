using System.Management.Automation;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Backups;

/// <summary>Get-KbBackup, Get-KbBackupItem and Get-KbBackupLog against seeded backups in the embedded default location.</summary>
[Collection(ModuleCollection.Name)]
public sealed class GetBackupTests : BackupTestBase
{
    [Fact]
    public void ListsNewestFirstWithTheLocationName()
    {
        Seed("New-SeedBackup $repository first; New-SeedBackup $repository second; New-SeedBackup $repository third");

        var result = Session.Invoke("Get-KbBackup").ThrowIfErrors();

        Assert.Equal(["third", "second", "first"], Names(result));
        Assert.All(result.Output, b => Assert.Equal("default", Property(b, "StorageLocation")));
        Assert.All(result.Output, b => Assert.Equal("Completed", Property(b, "Phase")!.ToString()));
        Assert.Equal("KubeBackup.Core.Backup.BackupSummary", result.Output[0].BaseObject.GetType().FullName);
    }

    [Fact]
    public void FiltersByWildcardAndPhase()
    {
        Seed("""
            New-SeedBackup $repository nightly-1
            New-SeedBackup $repository nightly-2 -Phase PartiallyFailed -Problems 'Error|apps/v1 deployments prod/web|forbidden'
            New-SeedBackup $repository weekly-1 -Phase Failed
            """);

        Assert.Equal(["nightly-2", "nightly-1"], Names(Session.Invoke("Get-KbBackup nightly-*").ThrowIfErrors()));
        Assert.Equal(["weekly-1", "nightly-2"], Names(Session.Invoke("Get-KbBackup -Phase Failed, partiallyfailed").ThrowIfErrors()));
        Assert.Equal(["nightly-1"], Names(Session.Invoke("Get-KbBackup -Name nightly-* -Phase Completed").ThrowIfErrors()));
        Assert.Equal(["weekly-1", "nightly-1"], Names(Session.Invoke("Get-KbBackup weekly-1, nightly-1").ThrowIfErrors()));
        var failed = Session.Invoke("Get-KbBackup nightly-2").ThrowIfErrors().Output.Single();
        Assert.Equal(1, Property(failed, "Errors"));
        Assert.Equal("apps/v1 deployments prod/web: forbidden", Property(failed, "Problems") is System.Collections.IEnumerable problems ? problems.Cast<object>().Single().ToString() : null);
    }

    [Fact]
    public void AMissingNameIsANonTerminatingBackupNotFoundAndAPatternIsNot()
    {
        Seed("New-SeedBackup $repository nightly-1");

        var result = Session.Invoke("Get-KbBackup nope, nightly-1, 'zzz*'");

        Assert.Equal(["nightly-1"], Names(result));
        var error = result.SingleError();
        Assert.Equal("BackupNotFound,KubeBackup.Commands.GetKbBackupCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("nope", error.TargetObject);
        Assert.Contains("'default'", error.Exception.Message);
    }

    [Fact]
    public void AnEmptyLocationListsNothingAndSaysSo()
    {
        var result = Session.Invoke("Get-KbBackup -Verbose").ThrowIfErrors();

        Assert.Empty(result.Output);
        Assert.Contains(result.Verbose, v => v.Contains("holds no backups yet", StringComparison.Ordinal));
        Assert.Equal("BackupNotFound,KubeBackup.Commands.GetKbBackupCommand", Session.Invoke("Get-KbBackup nightly").SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void AnUnknownLocationFailsAtBinding()
    {
        var error = Session.Invoke("Get-KbBackup -StorageLocation nowhere").SingleError();

        Assert.StartsWith("ParameterArgumentTransformationError,", error.FullyQualifiedErrorId);
        Assert.Contains("No storage location is named 'nowhere'", error.Exception.Message);
    }

    [Fact]
    public void ASavedLocationIsReadByNameAndItsNameIsOnEveryBackup()
    {
        var folder = Path.Combine(User.Root, "nas");
        Session.Invoke("New-KbStorageLocation -Name nas -Provider FileSystem -Path $args[0]", folder).ThrowIfErrors();
        Seed(new Uri(folder).AbsoluteUri, "New-SeedBackup $repository on-nas");

        var result = Session.Invoke("Get-KbBackup -StorageLocation nas").ThrowIfErrors();

        Assert.Equal(["on-nas"], Names(result));
        Assert.Equal("nas", Property(result.Output[0], "StorageLocation"));
        Assert.Equal(["on-nas"], Names(Session.Invoke("Get-KbStorageLocation | ForEach-Object { Get-KbBackup -StorageLocation $_ }").ThrowIfErrors()));
    }

    [Fact]
    public void AnEncryptedRepositoryNeedsItsPassphraseFromAParameterOrTheEnvironment()
    {
        var folder = Path.Combine(User.Root, "encrypted");
        var url = new Uri(folder).AbsoluteUri;
        SeedEncrypted(folder, "correct horse", "New-SeedBackup $repository secret-1 -Items '-/v1/secrets/prod/tls'");

        var missing = Session.Invoke("Get-KbBackup -StorageLocation $args[0]", url).SingleError();
        var wrong = Session.Invoke(PassphraseVariable("wrong horse") + "Get-KbBackup -StorageLocation $args[0] -Passphrase $passphrase", url).SingleError();
        var listed = Session.Invoke(PassphraseVariable("correct horse") + "Get-KbBackup -StorageLocation $args[0] -Passphrase $passphrase | Get-KbBackupItem -Passphrase $passphrase", url).ThrowIfErrors();
        Environment.SetEnvironmentVariable("KUBEBACKUP_PASSPHRASE", "correct horse");
        try
        {
            Assert.Equal(["secret-1"], Names(Session.Invoke("Test-KbBackup -StorageLocation $args[0]", url).ThrowIfErrors()));
        }
        finally
        {
            Environment.SetEnvironmentVariable("KUBEBACKUP_PASSPHRASE", null);
        }

        Assert.Equal("PassphraseRequired,KubeBackup.Commands.GetKbBackupCommand", missing.FullyQualifiedErrorId);
        Assert.Equal("WrongPassphrase,KubeBackup.Commands.GetKbBackupCommand", wrong.FullyQualifiedErrorId);
        Assert.Equal(["tls"], Names(listed));
        Assert.DoesNotContain("horse", missing.Exception.Message + wrong.Exception.Message, StringComparison.Ordinal);
    }

    private const string Items = """
        New-SeedBackup $repository inventory -Items @(
            'apps/v1/deployments/prod/web'
            'apps/v1/deployments/dev/web'
            '-/v1/configmaps/prod/settings'
            '-/v1/secrets/prod/tls'
            '-/v1/namespaces/-/prod'
        )
        """;

    [Theory]
    [InlineData("", 5)]
    [InlineData("-Namespace prod", 3)]
    [InlineData("-Namespace prod, dev", 4)]
    [InlineData("-Resource deployments", 2)]
    [InlineData("-Resource deployments.apps", 2)]
    [InlineData("-Resource deployments.batch", 0)]
    [InlineData("-Resource 'config*', secrets", 2)]
    [InlineData("-Resource namespaces", 1)]
    [InlineData("-ItemName web -Namespace dev", 1)]
    [InlineData("-ItemName 's*'", 1)]
    public void ItemsAreFilteredByNamespaceResourceAndName(string filter, int expected)
    {
        Seed(Items);

        var result = Session.Invoke($"Get-KbBackupItem inventory {filter}").ThrowIfErrors();

        Assert.Equal(expected, result.Output.Count);
    }

    [Fact]
    public void ItemsCarryTheirKeyAndPipeFromGetKbBackup()
    {
        Seed(Items);
        Seed("New-SeedBackup $repository other -Items '-/v1/secrets/prod/other'");

        var result = Session.Invoke("Get-KbBackup | Get-KbBackupItem -Resource secrets").ThrowIfErrors();

        Assert.Equal(["other", "tls"], Names(result));
        Assert.Equal(["other", "inventory"], result.Output.Select(i => (string)Property(i, "Backup")!));
        var deployment = Session.Invoke("Get-KbBackupItem -Backup inventory -Resource deployments -Namespace prod").ThrowIfErrors().Output.Single();
        Assert.Equal("apps", Property(deployment, "Group"));
        Assert.Equal("apps/v1", Property(deployment, "ApiVersion"));
        Assert.Equal("deployments.apps", Property(deployment, "GroupResource"));
        Assert.Equal("Item", Property(deployment, "Kind"));
        Assert.Equal("default", Property(deployment, "StorageLocation"));
        Assert.True((long)Property(deployment, "Size")! > 200);
        var cluster = Session.Invoke("Get-KbBackupItem inventory -Resource namespaces").ThrowIfErrors().Output.Single();
        Assert.Null(Property(cluster, "Namespace"));
        Assert.Equal("v1", Property(cluster, "ApiVersion"));
    }

    [Fact]
    public void ItemsOfAMissingBackupAreBackupNotFound()
    {
        Seed(Items);

        var result = Session.Invoke("'nope', 'inventory' | Get-KbBackupItem -Resource secrets");

        Assert.Equal(["tls"], Names(result));
        Assert.Equal("BackupNotFound,KubeBackup.Commands.GetKbBackupItemCommand", result.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void TheLogReadsBackInOrderAndFiltersByLevel()
    {
        Seed("""New-SeedBackup $repository logged -Log 'Info||Backup started', 'Warning|v1 pods prod/web-1|skipped: terminating', 'Error|apps/v1 deployments prod/api|forbidden', 'Info||Backup completed'""");

        var all = Session.Invoke("Get-KbBackup logged | Get-KbBackupLog").ThrowIfErrors().Output;
        var problems = Session.Invoke("Get-KbBackupLog logged -Level Warning, Error").ThrowIfErrors().Output;

        Assert.Equal(["Backup started", "skipped: terminating", "forbidden", "Backup completed"], all.Select(e => (string)Property(e, "Message")!));
        Assert.Equal(["Warning", "Error"], problems.Select(e => Property(e, "Level")!.ToString()));
        Assert.Equal("apps/v1 deployments prod/api", Property(problems[1], "Target"));
        Assert.Equal("BackupNotFound,KubeBackup.Commands.GetKbBackupLogCommand", Session.Invoke("Get-KbBackupLog nope").SingleError().FullyQualifiedErrorId);
    }
}
