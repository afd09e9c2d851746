using System.Security.Cryptography;
using System.Text;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Repository;

/// <summary>
/// The repository's random 32-byte master key and the subkeys derived from it with HKDF-SHA256: one for blob ids
/// (HMAC), one for blob encryption (AES-256-GCM), one seeding the chunker's gear table. Separate subkeys keep the
/// id hash, the cipher and the chunk boundaries independent.
/// </summary>
internal sealed class MasterKey : IDisposable
{
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int SaltSize = 32;

    private readonly byte[] _key;

    private MasterKey(byte[] key)
    {
        _key = key;
        IdKey = Derive("kubebackup/blob-id");
        DataKey = Derive("kubebackup/blob-data");
        ChunkerSeed = Derive("kubebackup/chunker");
    }

    public byte[] IdKey { get; }

    public byte[] DataKey { get; }

    public byte[] ChunkerSeed { get; }

    public static MasterKey CreateRandom() => new(RandomNumberGenerator.GetBytes(KeySize));

    /// <summary>Wraps this key for <kbd>kubebackup.json</kbd>: a fresh salt, the key-encryption key from the secret, AES-GCM.</summary>
    public EncryptionConfig Wrap(RepositoryKey secret, int iterations, string repositoryId)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var config = new EncryptionConfig(secret.Source, secret.Source == RepositoryKeySource.Passphrase ? EncryptionConfig.Pbkdf2 : EncryptionConfig.Hkdf,
            secret.Source == RepositoryKeySource.Passphrase ? iterations : 0, salt, RandomNumberGenerator.GetBytes(NonceSize), []);
        var kek = KeyEncryptionKey(secret, config);
        try
        {
            var wrapped = new byte[KeySize + TagSize];
            using var aes = new AesGcm(kek, TagSize);
            aes.Encrypt(config.WrapNonce, _key, wrapped.AsSpan(0, KeySize), wrapped.AsSpan(KeySize), WrapAad(repositoryId));
            return config with { WrappedKey = wrapped };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    /// <summary>Unwraps the master key; a failing authentication tag means the wrong passphrase or key file.</summary>
    public static MasterKey Unwrap(RepositoryKey secret, EncryptionConfig config, string repositoryId, string target)
    {
        if (secret.Source != config.KeySource)
        {
            throw new KbException(ErrorIds.WrongPassphrase, KbErrorCategory.AuthenticationError, target,
                $"The repository at {target} is unlocked by a {Describe(config.KeySource)}, not a {Describe(secret.Source)}.");
        }
        var kek = KeyEncryptionKey(secret, config);
        var key = GC.AllocateArray<byte>(KeySize, pinned: true);
        try
        {
            using var aes = new AesGcm(kek, TagSize);
            aes.Decrypt(config.WrapNonce, config.WrappedKey.AsSpan(0, KeySize), config.WrappedKey.AsSpan(KeySize), key, WrapAad(repositoryId));
            return new MasterKey(key);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new KbException(ErrorIds.WrongPassphrase, KbErrorCategory.AuthenticationError, target,
                $"The {Describe(config.KeySource)} does not unlock the repository at {target}.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    private static byte[] KeyEncryptionKey(RepositoryKey secret, EncryptionConfig config) => config.Kdf == EncryptionConfig.Pbkdf2
        ? Rfc2898DeriveBytes.Pbkdf2(secret.Passphrase, config.Salt, config.Iterations, HashAlgorithmName.SHA256, KeySize)
        : FromKeyFile(secret, config.Salt);

    private static byte[] FromKeyFile(RepositoryKey secret, byte[] salt)
    {
        var kek = new byte[KeySize];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret.KeyFile, kek, salt, Encoding.UTF8.GetBytes("kubebackup/key-file"));
        return kek;
    }

    private static byte[] WrapAad(string repositoryId) => Encoding.UTF8.GetBytes("kubebackup/master-key/" + repositoryId);

    private byte[] Derive(string info) => HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, KeySize, [], Encoding.UTF8.GetBytes(info));

    private static string Describe(RepositoryKeySource source) => source == RepositoryKeySource.Passphrase ? "passphrase" : "key file";

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_key);
        CryptographicOperations.ZeroMemory(IdKey);
        CryptographicOperations.ZeroMemory(DataKey);
        CryptographicOperations.ZeroMemory(ChunkerSeed);
    }
}
