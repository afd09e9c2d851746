namespace KubeBackup.Core.Restore;

/// <summary>Generated restore names: the backup's name and the time, as Velero names them (<c>shop-20261124030405</c>).</summary>
public static class RestoreNames
{
    public static string Generate(string backupName, DateTimeOffset now) =>
        $"{backupName}-{now.UtcDateTime:yyyyMMddHHmmss}";
}
