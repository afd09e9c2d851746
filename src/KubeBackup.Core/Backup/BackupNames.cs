using System.Globalization;

namespace KubeBackup.Core.Backup;

/// <summary>Generated backup names: <c>backup-20261124-013005</c>, UTC, so names sort by time as text.</summary>
public static class BackupNames
{
    public static string Generate(DateTimeOffset time, string prefix = "backup") =>
        $"{prefix}-{time.ToUniversalTime().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
}
