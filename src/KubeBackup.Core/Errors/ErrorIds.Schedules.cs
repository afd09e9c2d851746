namespace KubeBackup.Core.Errors;

public static partial class ErrorIds
{
    /// <summary>A schedule definition is wrong: its name, a TTL of zero or less, a prefix that contradicts its zone (InvalidArgument).</summary>
    public const string ScheduleInvalid = nameof(ScheduleInvalid);

    /// <summary>The cron expression does not parse (InvalidArgument); the message carries the parser's reason.</summary>
    public const string ScheduleCronInvalid = nameof(ScheduleCronInvalid);

    /// <summary>The time zone is not a known IANA id (InvalidArgument); the message names it.</summary>
    public const string ScheduleTimeZoneUnknown = nameof(ScheduleTimeZoneUnknown);

    /// <summary>No schedule of that name in the storage location (ObjectNotFound).</summary>
    public const string ScheduleNotFound = nameof(ScheduleNotFound);

    /// <summary>A schedule of that name already exists (ResourceExists); nothing was overwritten.</summary>
    public const string ScheduleExists = nameof(ScheduleExists);

    /// <summary>A stored <c>schedules/&lt;name&gt;.json</c> is not a schedule this module wrote (InvalidData).</summary>
    public const string ScheduleRecordInvalid = nameof(ScheduleRecordInvalid);

    /// <summary>
    /// Export-KbCronJob cannot build the CronJob (InvalidArgument): a name that is not a DNS-1123 name, a storage location a
    /// pod cannot reach (a local folder), an image or module version that is empty or malformed.
    /// </summary>
    public const string CronJobManifestInvalid = nameof(CronJobManifestInvalid);
}
