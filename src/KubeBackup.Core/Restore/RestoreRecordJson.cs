using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Errors;

using static KubeBackup.Core.Backup.RecordJsonParts;

namespace KubeBackup.Core.Restore;

/// <summary>
/// The files of a restore record (docs/repository-format.md): <c>restore.json</c> (spec with Velero's field names, and
/// status with phase, times, counts and problems), <c>items</c> (one JSON line per item: what happened and why).
/// </summary>
public static class RestoreRecordJson
{
    public const string RecordFile = "restore.json";
    public const string ItemsFile = "items";
    public const string LogFile = "log";

    public static byte[] Serialize(RestoreSummary summary)
    {
        var record = new JsonObject
        {
            ["kind"] = "Restore",
            ["name"] = summary.Name,
            ["labels"] = Map(summary.Labels),
            ["storageLocation"] = summary.StorageLocation,
            ["cluster"] = summary.Cluster,
            ["spec"] = SpecToJson(summary.Spec, summary.BackupName),
            ["status"] = new JsonObject
            {
                ["phase"] = summary.Phase.ToString(),
                ["startTimestamp"] = Time(summary.Started),
                ["completionTimestamp"] = Time(summary.Completed),
                ["totalItems"] = summary.ItemsTotal,
                ["created"] = summary.Created,
                ["updated"] = summary.Updated,
                ["skipped"] = summary.Skipped,
                ["failed"] = summary.Failed,
                ["failureReason"] = summary.FailureReason,
                ["problems"] = Problems(summary.Problems),
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(record);
    }

    /// <summary>The summary in a stored <c>restore.json</c>; RestoreRecordInvalid when it is not one this module wrote.</summary>
    public static RestoreSummary Parse(string name, ReadOnlySpan<byte> json, string? storageLocation)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonObject record || (string?)record["kind"] != "Restore" || record["status"] is not JsonObject status || record["spec"] is not JsonObject spec)
            {
                throw new FormatException("it is not a KubeBackup restore record (kind Restore with a spec and a status)");
            }
            return new RestoreSummary
            {
                Name = (string?)record["name"] ?? name,
                BackupName = (string?)spec["backupName"] ?? "",
                Phase = Enum.Parse<RestorePhase>((string?)status["phase"] ?? throw new FormatException("the phase is missing")),
                StorageLocation = storageLocation ?? (string?)record["storageLocation"],
                Cluster = (string?)record["cluster"],
                Started = RequiredTime(status["startTimestamp"]),
                Completed = RequiredTime(status["completionTimestamp"]),
                ItemsTotal = (long?)status["totalItems"] ?? 0,
                Created = (long?)status["created"] ?? 0,
                Updated = (long?)status["updated"] ?? 0,
                Skipped = (long?)status["skipped"] ?? 0,
                Failed = (long?)status["failed"] ?? 0,
                FailureReason = (string?)status["failureReason"],
                Problems = ParseProblems(status["problems"]),
                Labels = TextMap(record["labels"]),
                Spec = SpecFromJson(spec),
            };
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or JsonException)
        {
            throw new KbException(ErrorIds.RestoreRecordInvalid, KbErrorCategory.InvalidData, name, $"The record of restore '{name}' cannot be read: {e.Message}.", e);
        }
    }

    public static byte[] SerializeItems(IEnumerable<RestoreItemResult> items)
    {
        var text = new StringBuilder();
        foreach (var item in items)
        {
            var line = new JsonObject
            {
                ["group"] = item.Group,
                ["version"] = item.Version,
                ["resource"] = item.Resource,
                ["kind"] = item.Kind,
                ["namespace"] = item.Namespace,
                ["targetNamespace"] = item.TargetNamespace,
                ["name"] = item.Name,
                ["tier"] = item.Tier,
                ["action"] = item.Action.ToString(),
                ["outcome"] = item.Outcome?.ToString(),
                ["reason"] = item.Reason,
            };
            if (item.ChangedFields.Count > 0)
            {
                line["changedFields"] = Array(item.ChangedFields);
            }
            text.Append(line.ToJsonString()).Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static List<RestoreItemResult> ParseItems(string restoreName, byte[] jsonLines)
    {
        var items = new List<RestoreItemResult>();
        foreach (var line in Encoding.UTF8.GetString(jsonLines).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                var o = JsonNode.Parse(line) as JsonObject ?? throw new FormatException("a line is not a JSON object");
                items.Add(new RestoreItemResult
                {
                    Group = (string?)o["group"] ?? "",
                    Version = (string?)o["version"] ?? "",
                    Resource = (string?)o["resource"] ?? "",
                    Kind = (string?)o["kind"],
                    Namespace = (string?)o["namespace"],
                    TargetNamespace = (string?)o["targetNamespace"],
                    Name = (string?)o["name"] ?? "",
                    Tier = (int?)o["tier"] ?? 0,
                    Action = Enum.Parse<RestoreAction>((string?)o["action"] ?? nameof(RestoreAction.Create)),
                    Outcome = (string?)o["outcome"] is { } outcome ? Enum.Parse<RestoreOutcome>(outcome) : null,
                    Reason = (string?)o["reason"],
                    ChangedFields = TextList(o["changedFields"]),
                });
            }
            catch (Exception e) when (e is FormatException or ArgumentException or JsonException or InvalidOperationException)
            {
                throw new KbException(ErrorIds.RestoreRecordInvalid, KbErrorCategory.InvalidData, restoreName, $"The item results of restore '{restoreName}' cannot be read: {e.Message}.", e);
            }
        }
        return items;
    }

    public static JsonObject SpecToJson(RestoreSpec spec, string backupName) => new()
    {
        ["backupName"] = backupName,
        ["scheduleName"] = spec.ScheduleName,
        ["includedNamespaces"] = Array(spec.IncludedNamespaces),
        ["excludedNamespaces"] = Array(spec.ExcludedNamespaces),
        ["includedResources"] = Array(spec.IncludedResources),
        ["excludedResources"] = Array(spec.ExcludedResources),
        ["labelSelector"] = spec.LabelSelector,
        ["orLabelSelectors"] = Array(spec.OrLabelSelectors),
        ["namespaceMapping"] = Map(spec.NamespaceMapping),
        ["includeClusterResources"] = spec.IncludeClusterResources,
        ["existingResourcePolicy"] = spec.ExistingResourcePolicy == ExistingResourcePolicy.Update ? "update" : "none",
        ["restoreStatus"] = new JsonObject
        {
            ["includedResources"] = Array(spec.RestoreStatusIncludedResources),
            ["excludedResources"] = Array(spec.RestoreStatusExcludedResources),
        },
        ["preserveNodePorts"] = spec.PreserveNodePorts,
        ["standbyAnnotation"] = spec.StandbyAnnotation,
    };

    public static RestoreSpec SpecFromJson(JsonObject spec) => new()
    {
        BackupName = (string?)spec["backupName"],
        ScheduleName = (string?)spec["scheduleName"],
        IncludedNamespaces = TextList(spec["includedNamespaces"]),
        ExcludedNamespaces = TextList(spec["excludedNamespaces"]),
        IncludedResources = TextList(spec["includedResources"]),
        ExcludedResources = TextList(spec["excludedResources"]),
        LabelSelector = (string?)spec["labelSelector"],
        OrLabelSelectors = TextList(spec["orLabelSelectors"]),
        NamespaceMapping = TextMap(spec["namespaceMapping"]),
        IncludeClusterResources = (bool?)spec["includeClusterResources"],
        ExistingResourcePolicy = (string?)spec["existingResourcePolicy"] == "update" ? ExistingResourcePolicy.Update : ExistingResourcePolicy.Skip,
        RestoreStatusIncludedResources = TextList(spec["restoreStatus"]?["includedResources"]),
        RestoreStatusExcludedResources = TextList(spec["restoreStatus"]?["excludedResources"]),
        PreserveNodePorts = (bool?)spec["preserveNodePorts"] ?? false,
        StandbyAnnotation = (string?)spec["standbyAnnotation"],
    };

    private static DateTimeOffset RequiredTime(JsonNode? value) => ParseTime(value) ?? throw new FormatException("a timestamp is missing");
}
