using System.Runtime.InteropServices;
using System.Security;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Repository;

namespace KubeBackup.Infrastructure;

/// <summary>
/// The repository key a command uses: -Passphrase (a SecureString), else -KeyFile, else KUBEBACKUP_PASSPHRASE,
/// else KUBEBACKUP_KEY_FILE, else none. The passphrase is copied out of the SecureString into a buffer that is
/// zeroed at once; it is never logged, never written to the config file, never part of a message.
/// </summary>
internal static class RepositoryKeyResolver
{
    public const string PassphraseVariable = "KUBEBACKUP_PASSPHRASE";
    public const string KeyFileVariable = "KUBEBACKUP_KEY_FILE";

    public static RepositoryKey? Resolve(SecureString? passphrase, string? keyFile, string currentDirectory)
    {
        if (passphrase is not null)
        {
            return FromSecureString(passphrase);
        }
        if (!string.IsNullOrEmpty(keyFile))
        {
            return FromFile(Path.GetFullPath(keyFile, currentDirectory), "-KeyFile");
        }
        if (Environment.GetEnvironmentVariable(PassphraseVariable) is { Length: > 0 } fromEnvironment)
        {
            return RepositoryKey.FromPassphrase(fromEnvironment);
        }
        return Environment.GetEnvironmentVariable(KeyFileVariable) is { Length: > 0 } path
            ? FromFile(Path.GetFullPath(path, currentDirectory), KeyFileVariable)
            : null;
    }

    private static RepositoryKey FromSecureString(SecureString passphrase)
    {
        var characters = new char[passphrase.Length];
        var pointer = Marshal.SecureStringToGlobalAllocUnicode(passphrase);
        try
        {
            for (var i = 0; i < characters.Length; i++)
            {
                characters[i] = (char)Marshal.ReadInt16(pointer, i * sizeof(char));
            }
            return RepositoryKey.FromPassphrase(characters);
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            Array.Clear(characters);
        }
    }

    private static RepositoryKey FromFile(string path, string origin)
    {
        if (!File.Exists(path))
        {
            throw new KbException(ErrorIds.KeyFileInvalid, KbErrorCategory.ObjectNotFound, path, $"The key file '{path}' (from {origin}) does not exist.");
        }
        var content = File.ReadAllBytes(path);
        try
        {
            return RepositoryKey.FromKeyFile(content);
        }
        catch (KbException e)
        {
            throw new KbException(e.ErrorId, e.Category, path, $"The key file '{path}' (from {origin}) is not usable: {e.Message}", e);
        }
        finally
        {
            Array.Clear(content);
        }
    }
}
