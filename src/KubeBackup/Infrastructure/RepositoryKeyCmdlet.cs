using System.Management.Automation;
using System.Security;
using KubeBackup.Core.Repository;

namespace KubeBackup.Infrastructure;

/// <summary>
/// A cmdlet that opens or creates a repository: -Passphrase and -KeyFile, with KUBEBACKUP_PASSPHRASE and
/// KUBEBACKUP_KEY_FILE behind them (see <see cref="RepositoryKeyResolver"/>).
/// </summary>
public abstract class RepositoryKeyCmdlet : AsyncCmdlet
{
    [Parameter]
    [ValidateNotNull]
    public SecureString? Passphrase { get; set; }

    /// <summary>A file of at least 32 random bytes, used as the repository key instead of a passphrase.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeyFile { get; set; }

    /// <summary>The key to use, or null when none is given anywhere. The caller disposes it.</summary>
    protected RepositoryKey? ResolveKey() => RepositoryKeyResolver.Resolve(Passphrase, KeyFile, CurrentDirectory);
}
