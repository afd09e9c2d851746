using System.Management.Automation;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Backups;

/// <summary>
/// A session with isolated user folders, so the embedded default location is a fresh folder; backups are seeded
/// through the repository (Scripts/BackupSeed.ps1) with exactly the phase, times, items and log a test needs.
/// </summary>
public abstract class BackupTestBase : IDisposable
{
    protected BackupTestBase()
    {
        User = new IsolatedUserDirectories();
        Session = PowerShellSession.Start();
    }

    protected IsolatedUserDirectories User { get; }

    protected PowerShellSession Session { get; }

    /// <summary>The folder of the embedded default location.</summary>
    protected string DefaultRepository => Path.Combine(User.DataDirectory, "repository");

    protected string DefaultUrl => new Uri(DefaultRepository).AbsoluteUri;

    /// <summary>Runs <paramref name="script"/> with <c>$repository</c> open (created when missing) at <paramref name="url"/>.</summary>
    protected void Seed(string url, string script)
    {
        Session.Invoke($$"""
            . ([System.IO.Path]::Combine($args[0], 'Scripts', 'CoreAccess.ps1'))
            . ([System.IO.Path]::Combine($args[0], 'Scripts', 'BackupSeed.ps1'))
            $repository = Open-SeedRepository $args[1]
            try {
            {{script}}
            } finally { $repository.Dispose() }
            """, AppContext.BaseDirectory, url).ThrowIfErrors();
    }

    protected void Seed(string script) => Seed(DefaultUrl, script);

    /// <summary>Creates an encrypted repository in <paramref name="folder"/> (a low KDF cost, for speed) and runs <paramref name="script"/> with <c>$repository</c>.</summary>
    protected void SeedEncrypted(string folder, string passphrase, string script)
    {
        Session.Invoke($$"""
            . ([System.IO.Path]::Combine($args[0], 'Scripts', 'CoreAccess.ps1'))
            . ([System.IO.Path]::Combine($args[0], 'Scripts', 'BackupSeed.ps1'))
            $store = New-CoreObject 'KubeBackup.Core.Storage.FileSystemObjectStore' @($args[1])
            $passphrase = [securestring]::new()
            $args[2].ToCharArray() | ForEach-Object { $passphrase.AppendChar($_) }
            $resolver = [KubeBackup.Commands.GetKbBackupCommand].Assembly.GetType('KubeBackup.Infrastructure.RepositoryKeyResolver', $true)
            $key = $resolver.GetMethod('Resolve').Invoke($null, @($passphrase, $null, $args[1]))
            $options = New-CoreObject 'KubeBackup.Core.Repository.RepositoryInitOptions'
            $options.GetType().GetProperty('Encryption').SetValue($options, $key)
            $options.GetType().GetProperty('KdfIterations').SetValue($options, 1000)
            $type = $script:KbCore.GetType('KubeBackup.Core.Repository.BackupRepository', $true)
            $repository = Wait-Task ($type.GetMethod('InitializeAsync').Invoke($null, @($store, $options, $null, $script:None)))
            try {
            {{script}}
            } finally { $repository.Dispose() }
            """, AppContext.BaseDirectory, folder, passphrase).ThrowIfErrors();
    }

    /// <summary>A script line that sets <c>$passphrase</c> to a SecureString (ConvertTo-SecureString is not in this host).</summary>
    protected static string PassphraseVariable(string passphrase) =>
        $"$passphrase = [securestring]::new(); '{passphrase}'.ToCharArray() | ForEach-Object {{ $passphrase.AppendChar($_) }}; ";

    protected static List<string> Names(PsResult result) => Names(result.Output);

    protected static List<string> Names(IEnumerable<PSObject> output) => output.Select(o => (string)o.Properties["Name"].Value).ToList();

    protected static object? Property(PSObject value, string name) => value.Properties[name].Value;

    protected List<string> BackupsOnDisk(string? repository = null) =>
        Directory.Exists(Path.Combine(repository ?? DefaultRepository, "backups"))
            ? Directory.EnumerateFiles(Path.Combine(repository ?? DefaultRepository, "backups"), "backup.json", SearchOption.AllDirectories)
                .Select(f => Path.GetFileName(Path.GetDirectoryName(f)!)).Order(StringComparer.Ordinal).ToList()
            : [];

    protected List<string> Packs(string? repository = null) =>
        Directory.EnumerateFiles(Path.Combine(repository ?? DefaultRepository, "packs"), "*", SearchOption.AllDirectories).ToList();

    public virtual void Dispose()
    {
        Session.Dispose();
        User.Dispose();
        GC.SuppressFinalize(this);
    }
}
