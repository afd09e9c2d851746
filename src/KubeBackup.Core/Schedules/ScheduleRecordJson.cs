using System.Text.Json;
using System.Text.Json.Nodes;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Errors;
using static KubeBackup.Core.Backup.RecordJsonParts;

namespace KubeBackup.Core.Schedules;

/// <summary>
/// The JSON of <c>schedules/&lt;name&gt;.json</c> (docs/repository-format.md). Plain JSON like <c>backup.json</c>: a
/// schedule holds no secrets, and every runner, whatever its key, must read it. The template is a backup record's spec.
/// </summary>
public static class ScheduleRecordJson
{
    public const string Kind = "Schedule";

    public static byte[] Serialize(BackupSchedule schedule)
    {
        var template = BackupRecordJson.SpecToJson(schedule.Template);
        template["labels"] = schedule.Template.Labels.Count == 0 ? null : Map(schedule.Template.Labels);
        var record = new JsonObject
        {
            ["kind"] = Kind,
            ["name"] = schedule.Name,
            ["description"] = schedule.Description,
            ["schedule"] = schedule.Cron,
            ["timeZone"] = schedule.TimeZone,
            ["paused"] = schedule.Paused,
            ["skipImmediately"] = schedule.SkipImmediately ? true : null,
            ["created"] = Time(schedule.Created),
            ["updated"] = Time(schedule.Updated),
            ["template"] = template,
        };
        return JsonSerializer.SerializeToUtf8Bytes(record, new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The schedule stored under <paramref name="name"/>. ScheduleRecordInvalid when it is not one this module wrote.</summary>
    public static BackupSchedule Parse(string name, ReadOnlySpan<byte> json)
    {
        try
        {
            var record = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("it is not a JSON object");
            if ((string?)record["kind"] != Kind)
            {
                throw new FormatException("it is not a KubeBackup schedule (kind Schedule)");
            }
            if ((string?)record["name"] != name)
            {
                throw new FormatException($"it names the schedule '{(string?)record["name"]}'");
            }
            var template = record["template"] as JsonObject ?? throw new FormatException("the template is missing");
            return new BackupSchedule
            {
                Name = name,
                Cron = (string?)record["schedule"] ?? throw new FormatException("the cron expression is missing"),
                TimeZone = (string?)record["timeZone"],
                Paused = (bool?)record["paused"] ?? false,
                SkipImmediately = (bool?)record["skipImmediately"] ?? false,
                Description = (string?)record["description"],
                Created = ParseTime(record["created"]) ?? DateTimeOffset.MinValue,
                Updated = ParseTime(record["updated"]) ?? DateTimeOffset.MinValue,
                Template = BackupRecordJson.SpecFromJson(template) with { Labels = TextMap(template["labels"]) },
            };
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or JsonException)
        {
            throw new KbException(ErrorIds.ScheduleRecordInvalid, KbErrorCategory.InvalidData, name, $"The record of schedule '{name}' cannot be read: {e.Message.TrimEnd('.')}.", e);
        }
    }
}
