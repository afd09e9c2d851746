using System.Management.Automation;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests;

/// <summary>New/Get/Set/Remove-KbStorageLocation through the real engine, with the user's folders isolated.</summary>
[Collection(ModuleCollection.Name)]
public sealed class StorageLocationCmdletTests : IDisposable
{
    private const string SeedLocation = """
        apiVersion: velero.io/v1
        kind: BackupStorageLocation
        metadata:
          name: default
          namespace: velero
        spec:
          provider: alibabacloud
          objectStorage:
            bucket: velero-backup-bucket
            prefix: cluster-prod
          config:
            region: cn-hangzhou
        ---
        apiVersion: velero.io/v1
        kind: VolumeSnapshotLocation
        metadata:
          name: default
          namespace: velero
        spec:
          provider: alibabacloud
          config:
            region: cn-hangzhou
        """;

    private readonly IsolatedUserDirectories _user = new();
    private readonly PowerShellSession _session = PowerShellSession.Start();

    public void Dispose()
    {
        _session.Dispose();
        _user.Dispose();
    }

    [Fact]
    public void WithNothingSavedTheEmbeddedDefaultIsShownWithItsPath()
    {
        var result = _session.Invoke("Get-KbStorageLocation -Verbose").ThrowIfErrors();
        var location = result.Output.Single();
        Assert.Equal("default", location.Properties["Name"].Value);
        Assert.Equal(Path.Combine(_user.DataDirectory, "repository"), location.Properties["Path"].Value);
        Assert.Contains(result.Verbose, v => v.Contains(Path.Combine(_user.DataDirectory, "repository")));
    }

    [Fact]
    public void NewSavesALocationThatGetReturns()
    {
        _session.Invoke("New-KbStorageLocation -Name minio -Provider S3 -Bucket velero -Prefix /cluster1/ -Region us-east-1 -Endpoint http://minio:9000 -ForcePathStyle").ThrowIfErrors();

        var location = _session.Invoke("Get-KbStorageLocation minio").ThrowIfErrors().Output.Single();
        Assert.Equal("S3", location.Properties["Provider"].Value.ToString());
        Assert.Equal("cluster1", location.Properties["Prefix"].Value);
        Assert.Equal("s3://velero/cluster1?region=us-east-1&endpoint=http%3A%2F%2Fminio%3A9000&forcePathStyle=true", location.Properties["Url"].Value);
        Assert.True(File.Exists(_user.LocationsFile));
    }

    [Fact]
    public void NewFromAUrlAndFromTheSeedsVeleroManifest()
    {
        _session.Invoke("New-KbStorageLocation -Name dr -Url 'azblob://drstorage/backups/prod' -ReadOnly").ThrowIfErrors();
        var imported = _session.Invoke("New-KbStorageLocation -Spec $args[0] -Default", SeedLocation).ThrowIfErrors();

        var oss = imported.Output.Single();
        Assert.Equal("AlibabaCloud", oss.Properties["Provider"].Value.ToString());
        Assert.Equal("oss://velero-backup-bucket/cluster-prod?region=cn-hangzhou", oss.Properties["Url"].Value);
        Assert.Contains(imported.Warnings, w => w.Contains("VolumeSnapshotLocation"));

        var all = _session.Invoke("Get-KbStorageLocation").ThrowIfErrors().Output;
        Assert.Equal(["dr", "default"], all.Select(l => (string)l.Properties["Name"].Value));
        Assert.Equal("default", _session.Invoke("Get-KbStorageLocation -Default").ThrowIfErrors().Output.Single().Properties["Name"].Value);
        Assert.True((bool)all[0].Properties["ReadOnly"].Value);
    }

    [Fact]
    public void WhatIfSavesNothing()
    {
        var result = _session.Invoke("New-KbStorageLocation -Name x -Url file:///tmp/x -WhatIf").ThrowIfErrors();
        Assert.Empty(result.Output);
        Assert.False(File.Exists(_user.LocationsFile));
    }

    [Theory]
    [InlineData("New-KbStorageLocation -Name x -Provider S3 -Region us-east-1", "InvalidStorageLocation")]
    [InlineData("New-KbStorageLocation -Name x -Provider AlibabaCloud -Bucket b", "InvalidStorageLocation")]
    [InlineData("New-KbStorageLocation -Name x -Provider AzureBlob -Bucket c", "InvalidStorageLocation")]
    [InlineData("New-KbStorageLocation -Name x -Provider S3 -Bucket b -Endpoint 'not a url'", "InvalidStorageLocation")]
    [InlineData("New-KbStorageLocation -Name x -Provider S3 -Bucket b -Prefix '../escape'", "InvalidStorageLocation")]
    [InlineData("New-KbStorageLocation -Name x -Url 'ftp://host/path'", "InvalidStorageLocationUrl")]
    [InlineData("New-KbStorageLocation -Name x -Url 'file:///tmp/x' -CredentialFile ./does-not-exist", "InvalidStorageLocation")]
    [InlineData("New-KbStorageLocation -Spec 'kind: BackupStorageLocation'", "InvalidStorageLocationSpec")]
    [InlineData("New-KbStorageLocation -Spec ./missing.yaml", "InvalidStorageLocationSpec")]
    public void BadInputIsRefusedWithAStableId(string command, string errorId)
    {
        var error = _session.Invoke(command).SingleError();
        Assert.Equal($"{errorId},KubeBackup.Commands.NewKbStorageLocationCommand", error.FullyQualifiedErrorId);
        Assert.False(File.Exists(_user.LocationsFile));
    }

    [Fact]
    public void ANameThatExistsIsNotOverwritten()
    {
        _session.Invoke("New-KbStorageLocation -Name prod -Url s3://first/p").ThrowIfErrors();
        var error = _session.Invoke("New-KbStorageLocation -Name PROD -Url s3://second/p").SingleError();
        Assert.Equal("StorageLocationExists,KubeBackup.Commands.NewKbStorageLocationCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Equal("first", _session.Invoke("Get-KbStorageLocation prod").Output.Single().Properties["Bucket"].Value);
    }

    [Fact]
    public void CredentialsStayInTheirFile()
    {
        var credentials = Path.Combine(_user.Root, "credentials-velero");
        File.WriteAllText(credentials, "ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIexample\nALIBABA_CLOUD_ACCESS_KEY_SECRET=never-copied-secret\n");
        _session.Invoke("New-KbStorageLocation -Name oss -Url 'oss://b/p?region=cn-hangzhou' -CredentialFile $args[0]", credentials).ThrowIfErrors();

        var saved = File.ReadAllText(_user.LocationsFile);
        Assert.Contains(credentials, saved);
        Assert.DoesNotContain("never-copied-secret", saved);
        Assert.DoesNotContain("LTAIexample", saved);
    }

    [Fact]
    public void SetChangesSettingsFromThePipeline()
    {
        _session.Invoke("New-KbStorageLocation -Name a -Url s3://a/p; New-KbStorageLocation -Name b -Url s3://b/p").ThrowIfErrors();

        var changed = _session.Invoke("Get-KbStorageLocation b | Set-KbStorageLocation -Default -ReadOnly -Region eu-west-1 -PassThru").ThrowIfErrors().Output.Single();
        Assert.True((bool)changed.Properties["Default"].Value);
        Assert.True((bool)changed.Properties["ReadOnly"].Value);
        Assert.Equal("eu-west-1", changed.Properties["Region"].Value);

        var back = _session.Invoke("Set-KbStorageLocation b -ReadOnly:$false -Region eu-west-1 -PassThru").ThrowIfErrors().Output.Single();
        Assert.False((bool)back.Properties["ReadOnly"].Value);
        Assert.Equal("b", _session.Invoke("Get-KbStorageLocation -Default").Output.Single().Properties["Name"].Value);

        _session.Invoke("Set-KbStorageLocation a -Default -WhatIf").ThrowIfErrors();
        Assert.Equal("b", _session.Invoke("Get-KbStorageLocation -Default").Output.Single().Properties["Name"].Value);

        var missing = _session.Invoke("Set-KbStorageLocation nope -Default").SingleError();
        Assert.Equal("StorageLocationNotFound,KubeBackup.Commands.SetKbStorageLocationCommand", missing.FullyQualifiedErrorId);

        var whatIf = _session.Invoke("Set-KbStorageLocation a -ReadOnly -WhatIf -PassThru").ThrowIfErrors();
        Assert.Empty(whatIf.Output);
    }

    [Fact]
    public void OneFailedItemDoesNotStopTheOthers()
    {
        _session.Invoke("New-KbStorageLocation -Name a -Url s3://a/p; New-KbStorageLocation -Name c -Url s3://c/p").ThrowIfErrors();
        var result = _session.Invoke("'a', 'b', 'c' | Remove-KbStorageLocation -Force -PassThru");
        Assert.Equal(["a", "c"], result.Output.Select(o => (string)o.Properties["Name"].Value));
        Assert.Null(result.TerminatingError);
        Assert.Equal("StorageLocationNotFound,KubeBackup.Commands.RemoveKbStorageLocationCommand", result.SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void TheEmbeddedDefaultCannotBeChangedOrRemoved()
    {
        var error = _session.Invoke("Remove-KbStorageLocation default -Force").SingleError();
        Assert.Equal("StorageLocationNotFound,KubeBackup.Commands.RemoveKbStorageLocationCommand", error.FullyQualifiedErrorId);
        Assert.Contains("embedded", error.Exception.Message);
        Assert.Equal("default", _session.Invoke("Get-KbStorageLocation").Output.Single().Properties["Name"].Value);
    }

    [Fact]
    public void RemoveIsHighImpactAndForceNeverBeatsWhatIf()
    {
        _session.Invoke("New-KbStorageLocation -Name old-1 -Url s3://a/p; New-KbStorageLocation -Name old-2 -Url s3://b/p; New-KbStorageLocation -Name keep -Url s3://c/p").ThrowIfErrors();
        var repository = Path.Combine(_user.Root, "data-stays");
        Directory.CreateDirectory(repository);

        _session.Invoke("Get-KbStorageLocation old-* | Remove-KbStorageLocation -Force -WhatIf").ThrowIfErrors();
        Assert.Equal(3, _session.Invoke("Get-KbStorageLocation").Output.Count);

        var removed = _session.Invoke("Get-KbStorageLocation old-* | Remove-KbStorageLocation -Force -PassThru").ThrowIfErrors();
        Assert.Equal(["old-1", "old-2"], removed.Output.Select(o => (string)o.Properties["Name"].Value));
        Assert.Equal("keep", _session.Invoke("Get-KbStorageLocation").Output.Single().Properties["Name"].Value);

        var command = _session.Invoke("Get-Command Remove-KbStorageLocation").Output.Single().BaseObject;
        var metadata = new CommandMetadata((CommandInfo)command);
        Assert.Equal(ConfirmImpact.High, metadata.ConfirmImpact);
        Assert.True(Directory.Exists(repository));
    }

    [Fact]
    public void NamesComplete()
    {
        _session.Invoke("New-KbStorageLocation -Name 'prod west' -Url s3://a/p; New-KbStorageLocation -Name dr -Url s3://b/p").ThrowIfErrors();
        var input = "Get-KbStorageLocation -Name pro";
        var result = _session.Invoke("[System.Management.Automation.CommandCompletion]::CompleteInput($args[0], $args[0].Length, $null).CompletionMatches", input).ThrowIfErrors();
        Assert.Equal("'prod west'", result.Output.Single().Properties["CompletionText"].Value);
    }
}
