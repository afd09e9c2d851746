using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeBackup.Core.Failover;

/// <summary>
/// A namespace's DR role, in its annotations. Sync-KbStandby writes the backup applied and the time its data is from
/// (the backup's start) after a completed sync, and failover's built-in replication check reads them, so the data loss
/// a failover accepts is known without reaching the primary or the storage location. Failover replaces them with the
/// promoted mark, which stops later syncs from putting the now serving namespace back to sleep; Set-KbStandby (and the
/// fence) removes it. The marks describe a cluster's role, not data: restores never copy them.
/// </summary>
public static class StandbyMarks
{
    /// <summary>The name of the backup the namespace was last synced from.</summary>
    public const string BackupAnnotation = "kubebackup.io/standby-backup";

    /// <summary>When that backup started (RFC 3339, UTC): the namespace's data is at least this old.</summary>
    public const string DataTimeAnnotation = "kubebackup.io/standby-data-time";

    /// <summary>When a failover promoted the namespace (RFC 3339, UTC): it serves, and is nobody's standby.</summary>
    public const string PromotedAnnotation = "kubebackup.io/promoted";

    /// <summary>Every role annotation, for restores to drop.</summary>
    public static readonly IReadOnlyList<string> All = [BackupAnnotation, DataTimeAnnotation, PromotedAnnotation];

    public static JsonObject Patch(string backupName, DateTimeOffset dataTime) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["annotations"] = new JsonObject
            {
                [BackupAnnotation] = backupName,
                [DataTimeAnnotation] = Timestamp(dataTime),
                [PromotedAnnotation] = null,
            },
        },
    };

    /// <summary>Failover's mark: promoted now, the sync marks removed.</summary>
    public static JsonObject PromotedPatch(DateTimeOffset time) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["annotations"] = new JsonObject { [BackupAnnotation] = null, [DataTimeAnnotation] = null, [PromotedAnnotation] = Timestamp(time) },
        },
    };

    /// <summary>Standby again: the promoted mark removed.</summary>
    public static JsonObject StandbyAgainPatch() => new()
    {
        ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [PromotedAnnotation] = null } },
    };

    public static string? Promoted(JsonObject? @namespace) => (string?)@namespace?["metadata"]?["annotations"]?[PromotedAnnotation];

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string? Backup(JsonObject? @namespace) => (string?)@namespace?["metadata"]?["annotations"]?[BackupAnnotation];

    /// <summary>The data time the namespace carries; null when it was never synced or the value is not a time.</summary>
    public static DateTimeOffset? DataTime(JsonObject? @namespace) =>
        (string?)@namespace?["metadata"]?["annotations"]?[DataTimeAnnotation] is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
