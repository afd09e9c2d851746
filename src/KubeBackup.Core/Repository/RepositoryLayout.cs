using System.Text.RegularExpressions;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Repository;

/// <summary>
/// Every key of the repository, in one place (docs/repository-format.md describes each). Keys are relative to the
/// object store's root (a directory, or a bucket and prefix).
/// </summary>
public static partial class RepositoryLayout
{
    /// <summary>The format version this code writes and the newest it reads.</summary>
    public const int FormatVersion = 1;

    public const string ConfigKey = "kubebackup.json";
    public const string BackupsPrefix = "backups/";
    public const string PacksPrefix = "packs/";
    public const string IndexPrefix = "index/";
    public const string LocksPrefix = "locks/";
    public const string RestoresPrefix = "restores/";
    public const string SchedulesPrefix = "schedules/";
    public const string RecordFileName = "backup.json";
    public const string ManifestFileName = "manifest";
    public const string LogFileName = "log";

    public static string BackupFolder(string name) => BackupsPrefix + ValidateName(name) + "/";

    public static string BackupRecord(string name) => BackupFolder(name) + RecordFileName;

    public static string BackupManifest(string name) => BackupFolder(name) + ManifestFileName;

    public static string BackupLog(string name) => BackupFolder(name) + LogFileName;

    /// <summary>Packs fan out over 256 folders by the first two hex digits of their id.</summary>
    public static string Pack(string packId) => $"{PacksPrefix}{packId[..2]}/{packId}";

    public static string Index(string indexId) => IndexPrefix + indexId;

    public static string Lock(string lockId) => LocksPrefix + lockId;

    public static string RestoreFile(string restoreName, string fileName) => RestoresPrefix + ValidateName(restoreName) + "/" + ValidateName(fileName);

    public static string Schedule(string name) => SchedulesPrefix + ValidateName(name) + ".json";

    /// <summary>The pack id of a key under <c>packs/</c>, or null for anything else.</summary>
    public static string? PackIdOf(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 3 && parts[0] + "/" == PacksPrefix && IsHexId(parts[2]) && parts[1] == parts[2][..2] ? parts[2] : null;
    }

    /// <summary>The backup name and file of a key under <c>backups/</c>, or null.</summary>
    public static (string Name, string File)? BackupFileOf(string key)
    {
        var parts = key.Split('/');
        return parts.Length == 3 && parts[0] + "/" == BackupsPrefix ? (parts[1], parts[2]) : null;
    }

    public static bool IsHexId(string value) => value.Length == 64 && HexId().IsMatch(value);

    /// <summary>
    /// Backup, restore and schedule names: letters, digits, '.', '_' and '-', starting with a letter or digit, at most
    /// 200 characters. Safe as one key segment on every provider and as a file name on Windows and Linux.
    /// </summary>
    public static string ValidateName(string name)
    {
        if (name is null || name.Length > 200 || !NamePattern().IsMatch(name))
        {
            throw new KbException(ErrorIds.BackupNameInvalid, KbErrorCategory.InvalidArgument, name,
                $"'{name}' is not a valid name: use letters, digits, '.', '_' and '-', starting with a letter or digit, at most 200 characters.");
        }
        return name;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HexId();
}
