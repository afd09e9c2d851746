using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests;

/// <summary>Test-KbStorageLocation: Phase Available or Unavailable with the reason, as Velero reports a location.</summary>
[Collection(ModuleCollection.Name)]
public sealed class TestStorageLocationTests : IDisposable
{
    private readonly IsolatedUserDirectories _user = new();
    private readonly PowerShellSession _session = PowerShellSession.Start();

    public void Dispose()
    {
        _session.Dispose();
        _user.Dispose();
    }

    [Fact]
    public void TheEmbeddedDefaultIsAvailableAndLeavesNoProbeBehind()
    {
        var result = _session.Invoke("Test-KbStorageLocation").ThrowIfErrors();
        var status = result.Output.Single();
        Assert.Equal("Available", status.Properties["Phase"].Value.ToString());
        Assert.Equal(true, status.Properties["CanWrite"].Value);
        Assert.Equal(true, status.Properties["CanDelete"].Value);
        Assert.False((bool)status.Properties["RepositoryFound"].Value);
        Assert.Contains(result.Progress, p => p.RecordType == System.Management.Automation.ProgressRecordType.Completed);
        var repository = Path.Combine(_user.DataDirectory, "repository");
        Assert.Empty(Directory.EnumerateFiles(repository, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void SavedLocationsPipeIn()
    {
        _session.Invoke("New-KbStorageLocation -Name a -Provider FileSystem -Path $args[0]; New-KbStorageLocation -Name b -Url $args[1] -ReadOnly",
            Path.Combine(_user.Root, "a"), new Uri(Path.Combine(_user.Root, "b")).AbsoluteUri).ThrowIfErrors();

        var statuses = _session.Invoke("Get-KbStorageLocation | Test-KbStorageLocation").ThrowIfErrors().Output;

        Assert.Equal(["a", "b"], statuses.Select(s => (string)s.Properties["Name"].Value));
        Assert.All(statuses, s => Assert.Equal("Available", s.Properties["Phase"].Value.ToString()));
        Assert.Null(statuses[1].Properties["CanWrite"].Value); // read-only: writing is not tried
        Assert.False(Directory.Exists(Path.Combine(_user.Root, "b")) && Directory.EnumerateFiles(Path.Combine(_user.Root, "b")).Any());
    }

    [Fact]
    public void AnUnwritableLocationIsUnavailableWithTheReason()
    {
        var blocker = Path.Combine(_user.Root, "a-file");
        File.WriteAllText(blocker, "not a directory");
        var url = new Uri(Path.Combine(blocker, "repo")).AbsoluteUri;

        var status = _session.Invoke("Test-KbStorageLocation $args[0]", url).ThrowIfErrors().Output.Single();

        Assert.Equal("Unavailable", status.Properties["Phase"].Value.ToString());
        Assert.Equal("StorageLocationUnavailable", status.Properties["ErrorId"].Value);
        Assert.Contains("Cannot write", (string)status.Properties["Message"].Value);
    }

    [Fact]
    public void AnUnreachableS3EndpointIsUnavailableWithoutShowingTheKeys()
    {
        const string secretKey = "wJalrXUtnFEMI-never-shown";
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEKEYID");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", secretKey);
        try
        {
            using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            closed.Start();
            var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
            closed.Stop();

            var result = _session.Invoke("Test-KbStorageLocation $args[0] -Verbose", $"s3://backups/prod?region=us-east-1&endpoint=http://127.0.0.1:{port}").ThrowIfErrors();

            var status = result.Output.Single();
            Assert.Equal("Unavailable", status.Properties["Phase"].Value.ToString());
            Assert.Equal("StorageLocationUnavailable", status.Properties["ErrorId"].Value);
            Assert.Contains($"127.0.0.1:{port}", (string)status.Properties["Message"].Value);
            Assert.All(result.Verbose.Append((string)status.Properties["Message"].Value), text => Assert.DoesNotContain(secretKey, text));
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", null);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", null);
        }
    }

    [Theory]
    [InlineData("Test-KbStorageLocation nowhere", "No storage location is named 'nowhere'")]
    [InlineData("Test-KbStorageLocation 's3://AKIA:secret@bucket/p'", "must not contain credentials")]
    public void UnknownNamesAndBadUrlsFailAtBinding(string command, string message)
    {
        var error = _session.Invoke(command).SingleError();
        Assert.StartsWith("ParameterArgumentTransformationError,", error.FullyQualifiedErrorId);
        Assert.Contains(message, error.Exception.Message);
        Assert.DoesNotContain("secret", error.Exception.Message.Replace("credentials", string.Empty));
    }
}
