using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Backups;

/// <summary>One s3rver for the S3 backup tests; each test uses its own prefix in the bucket.</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    private S3rverProcess? _server;

    public S3rverProcess Server => _server ?? throw new InvalidOperationException("s3rver has not started.");

    public async Task InitializeAsync() => _server = await S3rverProcess.StartAsync();

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The backup cmdlets against an S3-compatible store (s3rver), by URL and by saved name; credentials from the environment.</summary>
[Collection(ModuleCollection.Name)]
public sealed class S3BackupTests : BackupTestBase, IClassFixture<S3rverFixture>
{
    private readonly string? _savedKeyId = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
    private readonly string? _savedSecret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
    private readonly string _url;

    public S3BackupTests(S3rverFixture s3)
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", S3rverProcess.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", S3rverProcess.SecretKey);
        _url = s3.Server.Url($"t-{Guid.NewGuid():N}");
    }

    public override void Dispose()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", _savedKeyId);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", _savedSecret);
        base.Dispose();
    }

    private const string ThreeBackups = """
        New-SeedBackup $repository nightly-1 -Items 'apps/v1/deployments/prod/web'
        New-SeedBackup $repository nightly-2 -Phase PartiallyFailed -Items '-/v1/secrets/prod/tls' -Log 'Error|v1 secrets prod/db|forbidden'
        New-SeedBackup $repository weekly-1 -Items '-/v1/configmaps/prod/settings', '-/v1/namespaces/-/prod'
        """;

    [Fact]
    public void EveryCmdletWorksOnAnS3UrlAndTheUrlTravelsDownThePipeline()
    {
        Seed(_url, ThreeBackups);

        var listed = Session.Invoke("Get-KbBackup -StorageLocation $args[0]", _url).ThrowIfErrors();
        Assert.Equal(["weekly-1", "nightly-2", "nightly-1"], Names(listed));
        Assert.All(listed.Output, b => Assert.Equal(_url, Property(b, "StorageLocation")));

        var items = Session.Invoke("Get-KbBackup 'nightly-*' -StorageLocation $args[0] | Get-KbBackupItem", _url).ThrowIfErrors();
        Assert.Equal(["tls", "web"], Names(items));

        var log = Session.Invoke("Get-KbBackup -StorageLocation $args[0] -Phase PartiallyFailed | Get-KbBackupLog -Level Error", _url).ThrowIfErrors();
        Assert.Equal("forbidden", Property(log.Output.Single(), "Message"));

        var checks = Session.Invoke("Get-KbBackup -StorageLocation $args[0] | Test-KbBackup", _url).ThrowIfErrors();
        Assert.Equal(["weekly-1", "nightly-2", "nightly-1"], Names(checks));
        Assert.All(checks.Output, c => Assert.Equal(true, Property(c, "Healthy")));

        var removed = Session.Invoke("Get-KbBackup nightly-* -StorageLocation $args[0] | Remove-KbBackup -Force -PassThru", _url).ThrowIfErrors();
        Assert.Equal(["nightly-2", "nightly-1"], Names(removed));
        Assert.Equal(["weekly-1"], Names(Session.Invoke("Get-KbBackup -StorageLocation $args[0]", _url).ThrowIfErrors()));
        Assert.Equal(["weekly-1"], Names(Session.Invoke("Test-KbBackup -StorageLocation $args[0]", _url).ThrowIfErrors()));
    }

    [Fact]
    public void ASavedS3LocationWorksByNameAndCompletesBackupNames()
    {
        Seed(_url, ThreeBackups);
        Session.Invoke("New-KbStorageLocation -Name lab-s3 -Url $args[0]", _url).ThrowIfErrors();

        var listed = Session.Invoke("Get-KbBackup -StorageLocation lab-s3 -Phase Completed").ThrowIfErrors();
        var completions = Session.Invoke("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches | ForEach-Object CompletionText",
            "Remove-KbBackup -StorageLocation lab-s3 -Name night").ThrowIfErrors();
        Session.Invoke("Remove-KbBackup -StorageLocation lab-s3 -Name weekly-1 -Force").ThrowIfErrors();

        Assert.Equal(["weekly-1", "nightly-1"], Names(listed));
        Assert.All(listed.Output, b => Assert.Equal("lab-s3", Property(b, "StorageLocation")));
        Assert.Equal(["nightly-1", "nightly-2"], completions.Output.Select(o => o.ToString()));
        Assert.Equal(["nightly-2", "nightly-1"], Names(Session.Invoke("Get-KbBackup -StorageLocation lab-s3").ThrowIfErrors()));
    }

    [Fact]
    public void AnEmptyPrefixListsNothingAndAMissingNameThereIsBackupNotFound()
    {
        var result = Session.Invoke("Get-KbBackup -StorageLocation $args[0] -Verbose", _url).ThrowIfErrors();

        Assert.Empty(result.Output);
        Assert.Contains(result.Verbose, v => v.Contains("holds no backups yet", StringComparison.Ordinal));
        var error = Session.Invoke("Test-KbBackup nightly-1 -StorageLocation $args[0]", _url).SingleError();
        Assert.Equal("BackupNotFound,KubeBackup.Commands.TestKbBackupCommand", error.FullyQualifiedErrorId);
    }
}
