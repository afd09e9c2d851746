using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeBackup.Core.Failover;

/// <summary>
/// What Sync-KbStandby writes on each standby namespace after a completed sync, and failover's built-in replication
/// check reads: the backup applied and the time its data is from (the backup's start), so the data loss a failover
/// accepts is known without reaching the primary or the storage location.
/// </summary>
public static class StandbyMarks
{
    /// <summary>The name of the backup the namespace was last synced from.</summary>
    public const string BackupAnnotation = "kubebackup.io/standby-backup";

    /// <summary>When that backup started (RFC 3339, UTC): the namespace's data is at least this old.</summary>
    public const string DataTimeAnnotation = "kubebackup.io/standby-data-time";

    public static JsonObject Patch(string backupName, DateTimeOffset dataTime) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["annotations"] = new JsonObject
            {
                [BackupAnnotation] = backupName,
                [DataTimeAnnotation] = dataTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            },
        },
    };

    public static string? Backup(JsonObject? @namespace) => (string?)@namespace?["metadata"]?["annotations"]?[BackupAnnotation];

    /// <summary>The data time the namespace carries; null when it was never synced or the value is not a time.</summary>
    public static DateTimeOffset? DataTime(JsonObject? @namespace) =>
        (string?)@namespace?["metadata"]?["annotations"]?[DataTimeAnnotation] is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
