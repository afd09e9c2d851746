using System.Text.Json;
using System.Text.Json.Nodes;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Repository;

/// <summary>
/// <c>kubebackup.json</c>: what a reader must know before touching anything else. It holds the wrapped master key,
/// never the key itself. Written once by <see cref="BackupRepository.InitializeAsync"/>.
/// </summary>
internal sealed record RepositoryConfig(
    int FormatVersion,
    string RepositoryId,
    DateTimeOffset CreatedAt,
    RepositoryCompression Compression,
    ChunkerParameters Chunker,
    EncryptionConfig? Encryption)
{
    public byte[] ToJson()
    {
        var chunker = new JsonObject
        {
            ["algorithm"] = ChunkerParameters.AlgorithmName,
            ["minSize"] = Chunker.MinSize,
            ["averageSize"] = Chunker.AverageSize,
            ["maxSize"] = Chunker.MaxSize,
        };
        var root = new JsonObject
        {
            ["formatVersion"] = FormatVersion,
            ["repositoryId"] = RepositoryId,
            ["createdAt"] = CreatedAt.ToString("O"),
            ["compression"] = Compression == RepositoryCompression.Zstd ? "zstd" : "none",
            ["chunker"] = chunker,
            ["encryption"] = Encryption?.ToJson(),
        };
        return JsonSerializer.SerializeToUtf8Bytes(root, new JsonSerializerOptions { WriteIndented = true });
    }

    public static RepositoryConfig Parse(byte[] json, string target)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json)?.AsObject() ?? throw new JsonException("empty");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw Invalid(target, $"it is not a JSON object ({e.Message})");
        }
        var version = Int(root, "formatVersion", target);
        if (version > RepositoryLayout.FormatVersion)
        {
            throw new KbException(ErrorIds.RepositoryVersionUnsupported, KbErrorCategory.InvalidData, target,
                $"The repository at {target} has format version {version}; this KubeBackup reads format version {RepositoryLayout.FormatVersion} and older. Update KubeBackup to use it.");
        }
        if (version < 1)
        {
            throw Invalid(target, $"formatVersion {version} is not valid");
        }
        try
        {
            var compression = (string?)root["compression"] switch
            {
                "zstd" => RepositoryCompression.Zstd,
                "none" => RepositoryCompression.None,
                var other => throw Invalid(target, $"compression '{other}' is not known"),
            };
            var chunkerNode = root["chunker"]?.AsObject() ?? throw Invalid(target, "the chunker is missing");
            if ((string?)chunkerNode["algorithm"] != ChunkerParameters.AlgorithmName)
            {
                throw Invalid(target, $"chunker algorithm '{chunkerNode["algorithm"]}' is not known");
            }
            var chunker = new ChunkerParameters(Int(chunkerNode, "minSize", target), Int(chunkerNode, "averageSize", target), Int(chunkerNode, "maxSize", target));
            chunker.Validate(target);
            var encryption = root["encryption"] is JsonObject e ? EncryptionConfig.Parse(e, target) : null;
            return new RepositoryConfig(version, (string?)root["repositoryId"] ?? throw Invalid(target, "repositoryId is missing"),
                DateTimeOffset.Parse((string?)root["createdAt"] ?? throw Invalid(target, "createdAt is missing"), System.Globalization.CultureInfo.InvariantCulture),
                compression, chunker, encryption);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or JsonException)
        {
            throw Invalid(target, e.Message);
        }
    }

    internal static int Int(JsonObject node, string name, string target)
    {
        try
        {
            return (int?)node[name] ?? throw Invalid(target, $"'{name}' is missing");
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw Invalid(target, $"'{name}' is not a number");
        }
    }

    internal static KbException Invalid(string target, string reason) =>
        new(ErrorIds.RepositoryConfigInvalid, KbErrorCategory.InvalidData, target, $"The repository configuration {target} is not valid: {reason}.");
}

/// <summary>How the master key is protected. KDF parameters and the wrapped key only.</summary>
internal sealed record EncryptionConfig(RepositoryKeySource KeySource, string Kdf, int Iterations, byte[] Salt, byte[] WrapNonce, byte[] WrappedKey)
{
    public const string Algorithm = "AES-256-GCM";
    public const string Pbkdf2 = "PBKDF2-SHA256";
    public const string Hkdf = "HKDF-SHA256";

    public JsonObject ToJson()
    {
        var kdf = new JsonObject { ["name"] = Kdf, ["salt"] = Convert.ToBase64String(Salt) };
        if (Kdf == Pbkdf2)
        {
            kdf["iterations"] = Iterations;
        }
        return new JsonObject
        {
            ["algorithm"] = Algorithm,
            ["keySource"] = KeySource == RepositoryKeySource.Passphrase ? "passphrase" : "keyFile",
            ["kdf"] = kdf,
            ["wrappedKey"] = new JsonObject
            {
                ["nonce"] = Convert.ToBase64String(WrapNonce),
                ["ciphertext"] = Convert.ToBase64String(WrappedKey),
            },
        };
    }

    public static EncryptionConfig Parse(JsonObject node, string target)
    {
        if ((string?)node["algorithm"] != Algorithm)
        {
            throw RepositoryConfig.Invalid(target, $"encryption algorithm '{node["algorithm"]}' is not known");
        }
        var source = (string?)node["keySource"] switch
        {
            "passphrase" => RepositoryKeySource.Passphrase,
            "keyFile" => RepositoryKeySource.KeyFile,
            var other => throw RepositoryConfig.Invalid(target, $"key source '{other}' is not known"),
        };
        var kdf = node["kdf"]?.AsObject() ?? throw RepositoryConfig.Invalid(target, "the kdf is missing");
        var name = (string?)kdf["name"];
        if (name != (source == RepositoryKeySource.Passphrase ? Pbkdf2 : Hkdf))
        {
            throw RepositoryConfig.Invalid(target, $"kdf '{name}' does not fit key source '{node["keySource"]}'");
        }
        var iterations = name == Pbkdf2 ? RepositoryConfig.Int(kdf, "iterations", target) : 0;
        if (name == Pbkdf2 && iterations < 1)
        {
            throw RepositoryConfig.Invalid(target, "kdf iterations must be positive");
        }
        var wrapped = node["wrappedKey"]?.AsObject() ?? throw RepositoryConfig.Invalid(target, "wrappedKey is missing");
        var nonce = Convert.FromBase64String((string?)wrapped["nonce"] ?? "");
        var ciphertext = Convert.FromBase64String((string?)wrapped["ciphertext"] ?? "");
        if (nonce.Length != MasterKey.NonceSize || ciphertext.Length != MasterKey.KeySize + MasterKey.TagSize)
        {
            throw RepositoryConfig.Invalid(target, "wrappedKey has the wrong size");
        }
        return new EncryptionConfig(source, name, iterations, Convert.FromBase64String((string?)kdf["salt"] ?? ""), nonce, ciphertext);
    }
}

public enum RepositoryCompression
{
    Zstd,
    None,
}
