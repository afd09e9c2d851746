namespace KubeBackup.Core.Restore;

/// <summary>
/// The labels a restore puts on every object it creates (as Velero's velero.io/backup-name and restore-name), so
/// <c>kubectl get all -l kubebackup.io/restore-name=...</c> finds them. Comparisons ignore them.
/// </summary>
public static class RestoreLabels
{
    public const string BackupName = "kubebackup.io/backup-name";

    public const string RestoreName = "kubebackup.io/restore-name";

    /// <summary>A label value for <paramref name="name"/>: itself when it fits the 63-character limit, else its first 57
    /// characters and 6 hex digits of its SHA-256 (Velero does the same), so long names still label distinctly.</summary>
    public static string Value(string name)
    {
        if (name.Length <= 63)
        {
            return name;
        }
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..6].ToLowerInvariant();
        return name[..57].TrimEnd('-', '.', '_') + hash;
    }
}
