using System.Security;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests;

/// <summary>Passphrases and key files: -Passphrase (SecureString), -KeyFile, KUBEBACKUP_PASSPHRASE; never shown, never stored.</summary>
[Collection(ModuleCollection.Name)]
public sealed class RepositoryKeyTests : IDisposable
{
    private const string Secret = "correct horse battery staple";

    private readonly IsolatedUserDirectories _user = new();
    private readonly PowerShellSession _session = PowerShellSession.Start();
    private readonly string _url;

    public RepositoryKeyTests()
    {
        _url = new Uri(Path.Combine(_user.Root, "repo")).AbsoluteUri;
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("KUBEBACKUP_PASSPHRASE", null);
        _session.Dispose();
        _user.Dispose();
    }

    [Fact]
    public void APassphraseCreatesAnEncryptedRepositoryThatOnlyItOpens()
    {
        var created = _session.Invoke("New-KbStorageLocation -Name vault -Url $args[0] -Passphrase $args[1] -Verbose", _url, Secure(Secret)).ThrowIfErrors();
        Assert.Contains(created.Verbose, v => v.Contains("Created an encrypted repository"));
        Assert.True(File.Exists(Path.Combine(_user.Root, "repo", "kubebackup.json")));

        var unknown = Status("Test-KbStorageLocation vault");
        Assert.Equal("Available", unknown.Properties["Phase"].Value.ToString());
        Assert.Equal(true, unknown.Properties["Encrypted"].Value);
        Assert.Contains("-Passphrase", (string)unknown.Properties["Message"].Value);

        var right = Status("Test-KbStorageLocation vault -Passphrase $args[0]", Secure(Secret));
        Assert.Contains("The key opens it", (string)right.Properties["Message"].Value);

        var wrong = Status("Test-KbStorageLocation vault -Passphrase $args[0]", Secure("not it"));
        Assert.Equal("Unavailable", wrong.Properties["Phase"].Value.ToString());
        Assert.Equal("WrongPassphrase", wrong.Properties["ErrorId"].Value);

        Environment.SetEnvironmentVariable("KUBEBACKUP_PASSPHRASE", Secret);
        Assert.Contains("The key opens it", (string)Status("Test-KbStorageLocation vault").Properties["Message"].Value);

        var everything = File.ReadAllText(_user.LocationsFile) + File.ReadAllText(Path.Combine(_user.Root, "repo", "kubebackup.json"))
            + string.Join(" ", created.Verbose) + wrong.Properties["Message"].Value;
        Assert.DoesNotContain(Secret, everything);
    }

    [Fact]
    public void SavingWithTheWrongPassphraseForAnExistingRepositorySavesNothing()
    {
        _session.Invoke("New-KbStorageLocation -Name first -Url $args[0] -Passphrase $args[1]", _url, Secure(Secret)).ThrowIfErrors();

        var error = _session.Invoke("New-KbStorageLocation -Name second -Url $args[0] -Passphrase $args[1]", _url, Secure("guess")).SingleError();

        Assert.Equal("WrongPassphrase,KubeBackup.Commands.NewKbStorageLocationCommand", error.FullyQualifiedErrorId);
        Assert.Equal(["first"], _session.Invoke("Get-KbStorageLocation").Output.Select(o => (string)o.Properties["Name"].Value));
    }

    [Fact]
    public void AKeyFileWorksLikeAPassphrase()
    {
        var keyFile = Path.Combine(_user.Root, "repo.key");
        File.WriteAllBytes(keyFile, System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));
        _session.Invoke("New-KbStorageLocation -Name k -Url $args[0] -KeyFile $args[1]", _url, keyFile).ThrowIfErrors();

        Assert.Contains("The key opens it", (string)Status("Test-KbStorageLocation k -KeyFile $args[0]", keyFile).Properties["Message"].Value);

        var other = Path.Combine(_user.Root, "other.key");
        File.WriteAllBytes(other, System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));
        Assert.Equal("WrongPassphrase", Status("Test-KbStorageLocation k -KeyFile $args[0]", other).Properties["ErrorId"].Value);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(-1)]
    public void UnusableKeyFiles(int length)
    {
        var keyFile = Path.Combine(_user.Root, "short.key");
        if (length >= 0)
        {
            File.WriteAllBytes(keyFile, new byte[length]);
        }
        var error = _session.Invoke("New-KbStorageLocation -Name k -Url $args[0] -KeyFile $args[1]", _url, keyFile).SingleError();
        Assert.Equal("KeyFileInvalid,KubeBackup.Commands.NewKbStorageLocationCommand", error.FullyQualifiedErrorId);
        Assert.False(File.Exists(_user.LocationsFile));
    }

    [Fact]
    public void AReadOnlyLocationIsNeverInitialised()
    {
        var error = _session.Invoke("New-KbStorageLocation -Name ro -Url $args[0] -ReadOnly -Passphrase $args[1]", _url, Secure(Secret)).SingleError();
        Assert.Equal("StorageLocationReadOnly,KubeBackup.Commands.NewKbStorageLocationCommand", error.FullyQualifiedErrorId);
        Assert.False(Directory.Exists(Path.Combine(_user.Root, "repo")));
    }

    [Fact]
    public void AnUnencryptedRepositoryIsNotEncryptedAfterwards()
    {
        var directory = Path.Combine(_user.Root, "repo");
        // Until a backup cmdlet exists, the engine itself creates an unencrypted repository (Core lives in the module's load context).
        _session.Invoke("""
            $context = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'KubeBackup'
            $core = $context.Assemblies | Where-Object { $_.GetName().Name -eq 'KubeBackup.Core' }
            $store = [Activator]::CreateInstance($core.GetType('KubeBackup.Core.Storage.FileSystemObjectStore'), @($args[0]))
            $options = [Activator]::CreateInstance($core.GetType('KubeBackup.Core.Repository.RepositoryInitOptions'))
            $core.GetType('KubeBackup.Core.Repository.BackupRepository').GetMethod('InitializeAsync').Invoke($null, @($store, $options, $null, [System.Threading.CancellationToken]::None)).GetAwaiter().GetResult().Dispose()
            """, directory).ThrowIfErrors();
        Assert.True(File.Exists(Path.Combine(directory, "kubebackup.json")));

        var error = _session.Invoke("New-KbStorageLocation -Name p -Url $args[0] -Passphrase $args[1]", _url, Secure(Secret)).SingleError();
        Assert.Equal("RepositoryNotEncrypted,KubeBackup.Commands.NewKbStorageLocationCommand", error.FullyQualifiedErrorId);
        Assert.Equal(false, Status("Test-KbStorageLocation $args[0]", _url).Properties["Encrypted"].Value);
    }

    private System.Management.Automation.PSObject Status(string command, params object?[] arguments) =>
        _session.Invoke(command, arguments).ThrowIfErrors().Output.Single();

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }
        secure.MakeReadOnly();
        return secure;
    }
}
