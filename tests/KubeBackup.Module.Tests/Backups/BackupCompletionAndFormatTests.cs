using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Backups;

/// <summary>Backup name completion, and the human forms the format views show.</summary>
[Collection(ModuleCollection.Name)]
public sealed class BackupCompletionAndFormatTests : BackupTestBase
{
    private List<string> Complete(string line) =>
        Session.Invoke("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches | ForEach-Object CompletionText", line)
            .ThrowIfErrors().Output.Select(o => o.ToString()).ToList();

    [Fact]
    public void BackupNamesCompleteFromTheDefaultLocation()
    {
        Seed("New-SeedBackup $repository nightly-1; New-SeedBackup $repository nightly-2; New-SeedBackup $repository weekly-1");

        Assert.Equal(["nightly-1", "nightly-2"], Complete("Get-KbBackup nig"));
        Assert.Equal(["nightly-1", "nightly-2", "weekly-1"], Complete("Remove-KbBackup -Name "));
        Assert.Equal(["weekly-1"], Complete("Get-KbBackupItem -Backup w"));
        Assert.Equal(["weekly-1"], Complete("Test-KbBackup we"));
        Assert.Equal(["weekly-1"], Complete("Get-KbBackupLog we"));
    }

    [Fact]
    public void BackupNamesCompleteFromTheBoundLocationWithoutAKey()
    {
        var folder = Path.Combine(User.Root, "encrypted");
        var url = new Uri(folder).AbsoluteUri;
        // An encrypted repository: completion reads only object keys, so it needs no passphrase.
        SeedEncrypted(folder, "correct horse", "New-SeedBackup $repository secret-1");
        Seed("New-SeedBackup $repository in-default");

        Assert.Equal(["secret-1"], Complete($"Get-KbBackup -StorageLocation '{url}' -Name "));
        Assert.Equal(["in-default"], Complete("Get-KbBackup -Name "));
        Assert.Empty(Complete("Get-KbBackup -StorageLocation nowhere -Name "));
    }

    [Fact]
    public void AStoreThatNeverAnswersCompletesNothingWithinTheTimeLimit()
    {
        using var hung = new BlackHoleServer();
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "example");
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var completions = Complete($"Get-KbBackup -StorageLocation 's3://backups/p?region=us-east-1&endpoint={hung.Url}' -Name ");
            clock.Stop();

            Assert.Empty(completions);
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(6));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", null);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", null);
        }
    }

    [Theory]
    [InlineData("[KubeBackup.Formatting.HumanFormat]::Size(0)", "0 B")]
    [InlineData("[KubeBackup.Formatting.HumanFormat]::Size(1023)", "1023 B")]
    [InlineData("[KubeBackup.Formatting.HumanFormat]::Size(1536)", "1.5 KB")]
    [InlineData("[KubeBackup.Formatting.HumanFormat]::Size(23 * 1MB + 5)", "23 MB")]
    [InlineData("[KubeBackup.Formatting.HumanFormat]::Size(5GB)", "5 GB")]
    [InlineData("[KubeBackup.Formatting.HumanFormat]::Duration([timespan]::FromSeconds(45))", "45s")]
    [InlineData("[KubeBackup.Formatting.HumanFormat]::Duration([timespan]::FromMinutes(5.9))", "5m")]
    [InlineData("[KubeBackup.Formatting.HumanFormat]::Duration([timespan]::FromHours(3))", "3h")]
    [InlineData("[KubeBackup.Formatting.HumanFormat]::Duration([timespan]::FromHours(47))", "47h")]
    [InlineData("[KubeBackup.Formatting.HumanFormat]::Duration([timespan]::FromDays(2))", "2d")]
    [InlineData("[KubeBackup.Formatting.HumanFormat]::Expires([datetimeoffset]::UtcNow.AddDays(29).AddMinutes(1))", "in 29d")]
    [InlineData("[KubeBackup.Formatting.HumanFormat]::Expires([datetimeoffset]::UtcNow.AddSeconds(-1))", "expired")]
    [InlineData("[KubeBackup.Formatting.HumanFormat]::Expires([datetimeoffset]::MaxValue)", "never")]
    [InlineData("[KubeBackup.Formatting.HumanFormat]::Age([datetimeoffset]::UtcNow.AddMinutes(-90))", "1h")]
    public void HumanFormsAreShort(string expression, string expected)
    {
        Assert.Equal(expected, Session.Invoke(expression).ThrowIfErrors().Output.Single().ToString());
    }
}
