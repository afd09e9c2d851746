using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Backups;

/// <summary>The demo cluster in an emulator of its own, for backups taken by New-KbBackup.</summary>
public sealed class DemoClusterFixture : IAsyncLifetime
{
    private EmulatorProcess? _emulator;

    public EmulatorProcess Emulator => _emulator ?? throw new InvalidOperationException("The emulator has not started.");

    public async Task InitializeAsync() => _emulator = await EmulatorProcess.StartAsync("demo", "--load", Path.Combine(Repo.Root, "demo", "cluster"));

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }
}

/// <summary>
/// Real backups of the demo cluster made by New-KbBackup, read back, checked and removed by the read-side cmdlets, in
/// the local default location and in s3rver.
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class NewBackupPipelineTests : BackupTestBase, IClassFixture<DemoClusterFixture>, IClassFixture<S3rverFixture>
{
    private readonly DemoClusterFixture _cluster;
    private readonly S3rverFixture _s3;

    public NewBackupPipelineTests(DemoClusterFixture cluster, S3rverFixture s3)
    {
        _cluster = cluster;
        _s3 = s3;
    }

    private Dictionary<string, object?> Variables => new() { ["kubeconfig"] = _cluster.Emulator.KubeconfigPath };

    [Fact]
    public void ANewBackupPipesIntoTestItemsLogAndRemove()
    {
        var created = Session.Invoke("New-KbBackup -Name shop-1 -IncludeNamespace shop -Kubeconfig $kubeconfig | Test-KbBackup", Variables).ThrowIfErrors();
        var verification = created.Output.Single();
        Assert.Equal("shop-1", Property(verification, "Name"));
        Assert.Equal(true, Property(verification, "Healthy"));
        Assert.True((long)Property(verification, "Items")! > 5);

        var items = Session.Invoke("Get-KbBackup shop-1 | Get-KbBackupItem").ThrowIfErrors().Output;
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.True(Property(i, "Namespace") is null or "shop", $"{i} is outside the namespace"));
        Assert.Contains(items, i => (string?)Property(i, "GroupResource") == "deployments.apps");
        Assert.NotEmpty(Session.Invoke("Get-KbBackupLog shop-1").ThrowIfErrors().Output);

        Session.Invoke("New-KbBackup -Name shop-2 -IncludeNamespace shop -Kubeconfig $kubeconfig", Variables).ThrowIfErrors();
        Assert.Equal(["shop-2", "shop-1"], Names(Session.Invoke("Get-KbBackup -Phase Completed").ThrowIfErrors()));
        Session.Invoke("Get-KbBackup shop-1 | Remove-KbBackup -Force").ThrowIfErrors();
        Assert.Equal(["shop-2"], Names(Session.Invoke("Get-KbBackup").ThrowIfErrors()));
        Assert.Equal(true, Property(Session.Invoke("Test-KbBackup shop-2").ThrowIfErrors().Output.Single(), "Healthy"));
    }

    [Fact]
    public void ABackupWithAShortTtlIsRemovedByExpiredOnceItsTimeHasPassed()
    {
        var backup = Session.Invoke("New-KbBackup -Name short -IncludeNamespace shop-staging -Ttl 1s -Kubeconfig $kubeconfig", Variables).ThrowIfErrors().Output.Single();
        Session.Invoke("New-KbBackup -Name long -IncludeNamespace shop-staging -Kubeconfig $kubeconfig", Variables).ThrowIfErrors();
        var expires = (DateTimeOffset)Property(backup, "Expires")!;
        var wait = expires - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(50);
        Assert.True(wait <= TimeSpan.FromSeconds(1.1), $"expires {expires:O}");
        if (wait > TimeSpan.Zero)
        {
            Thread.Sleep(wait);
        }

        var removed = Session.Invoke("Remove-KbBackup -Expired -Force -PassThru").ThrowIfErrors();

        Assert.Equal(["short"], Names(removed));
        Assert.Equal(["long"], Names(Session.Invoke("Get-KbBackup").ThrowIfErrors()));
    }

    [Fact]
    public void BackupsInS3AreListedCheckedAndRemovedThroughTheirUrl()
    {
        var keyId = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", S3rverProcess.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", S3rverProcess.SecretKey);
        try
        {
            var url = _s3.Server.Url($"e2e-{Guid.NewGuid():N}");
            var variables = Variables;
            variables["url"] = url;
            Session.Invoke("New-KbBackup -Name s3-1 -IncludeNamespace shop -StorageLocation $url -Kubeconfig $kubeconfig", variables).ThrowIfErrors();
            Session.Invoke("New-KbBackup -Name s3-2 -IncludeNamespace shop-staging -StorageLocation $url -Kubeconfig $kubeconfig", variables).ThrowIfErrors();

            var listed = Session.Invoke("Get-KbBackup -StorageLocation $url", variables).ThrowIfErrors();
            Assert.Equal(["s3-2", "s3-1"], Names(listed));
            Assert.All(listed.Output, b => Assert.Equal(url, Property(b, "StorageLocation")));
            Assert.All(Session.Invoke("Get-KbBackup -StorageLocation $url | Test-KbBackup", variables).ThrowIfErrors().Output, v => Assert.Equal(true, Property(v, "Healthy")));
            Assert.NotEmpty(Session.Invoke("Get-KbBackupItem s3-2 -StorageLocation $url -Namespace shop-staging", variables).ThrowIfErrors().Output);

            Session.Invoke("Get-KbBackup s3-1 -StorageLocation $url | Remove-KbBackup -Force", variables).ThrowIfErrors();
            Assert.Equal(["s3-2"], Names(Session.Invoke("Get-KbBackup -StorageLocation $url", variables).ThrowIfErrors()));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", keyId);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", secret);
        }
    }
}
