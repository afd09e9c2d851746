using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Repository;

/// <summary>
/// The secret that unlocks an encrypted repository: a passphrase or the bytes of a key file. The secret is copied
/// into a pinned buffer that <see cref="Dispose"/> zeroes; it is never logged and never part of a message. The
/// module fills a passphrase from a SecureString by marshalling it into a char buffer it zeroes after this call.
/// </summary>
public sealed class RepositoryKey : IDisposable
{
    public const int MinimumKeyFileLength = 32;

    private readonly char[]? _passphrase;
    private readonly byte[]? _keyFile;

    private RepositoryKey(char[]? passphrase, byte[]? keyFile)
    {
        _passphrase = passphrase;
        _keyFile = keyFile;
    }

    public RepositoryKeySource Source => _passphrase is null ? RepositoryKeySource.KeyFile : RepositoryKeySource.Passphrase;

    public static RepositoryKey FromPassphrase(ReadOnlySpan<char> passphrase)
    {
        if (passphrase.IsEmpty)
        {
            throw new KbException(ErrorIds.PassphraseRequired, KbErrorCategory.InvalidArgument, null, "The passphrase is empty.");
        }
        var copy = GC.AllocateArray<char>(passphrase.Length, pinned: true);
        passphrase.CopyTo(copy);
        return new RepositoryKey(copy, null);
    }

    /// <summary>A key file: at least 32 random bytes (e.g. <c>head -c 64 /dev/urandom</c>).</summary>
    public static RepositoryKey FromKeyFile(ReadOnlySpan<byte> keyFileContent)
    {
        if (keyFileContent.Length < MinimumKeyFileLength)
        {
            throw new KbException(ErrorIds.KeyFileInvalid, KbErrorCategory.InvalidArgument, null,
                $"A key file must hold at least {MinimumKeyFileLength} random bytes; this one has {keyFileContent.Length}.");
        }
        var copy = GC.AllocateArray<byte>(keyFileContent.Length, pinned: true);
        keyFileContent.CopyTo(copy);
        return new RepositoryKey(null, copy);
    }

    internal ReadOnlySpan<char> Passphrase => _passphrase ?? throw new InvalidOperationException("Not a passphrase key.");

    internal ReadOnlySpan<byte> KeyFile => _keyFile ?? throw new InvalidOperationException("Not a key file.");

    public void Dispose()
    {
        if (_passphrase is not null)
        {
            Array.Clear(_passphrase);
        }
        if (_keyFile is not null)
        {
            CryptographicZero(_keyFile);
        }
    }

    private static void CryptographicZero(byte[] buffer) => System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);

    public override string ToString() => $"RepositoryKey({Source})";
}

public enum RepositoryKeySource
{
    Passphrase,
    KeyFile,
}
