using System.Text.Json;
using System.Text.Json.Nodes;
using KubeBackup.Core.Backup.Hooks;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Repository;

using static KubeBackup.Core.Backup.RecordJsonParts;

namespace KubeBackup.Core.Backup;

/// <summary>
/// The backup's part of <c>backup.json</c> (docs/repository-format.md): <c>spec</c> with Velero's field names, and
/// <c>status</c> with phase, times, counts and problems. The repository adds its own member when it commits.
/// </summary>
public static class BackupRecordJson
{
    public static byte[] Serialize(BackupSummary summary)
    {
        var record = new JsonObject
        {
            ["kind"] = "Backup",
            ["name"] = summary.Name,
            ["labels"] = Map(summary.Labels),
            ["storageLocation"] = summary.StorageLocation,
            ["cluster"] = summary.Cluster,
            ["spec"] = SpecToJson(summary.Spec),
            ["status"] = new JsonObject
            {
                ["phase"] = summary.Phase.ToString(),
                ["startTimestamp"] = Time(summary.Started),
                ["completionTimestamp"] = Time(summary.Completed),
                ["expiration"] = Time(summary.Expires),
                ["parent"] = summary.Parent,
                ["totalItems"] = summary.ItemsTotal,
                ["itemsBackedUp"] = summary.ItemsBackedUp,
                ["size"] = summary.Size,
                ["sizeAdded"] = summary.SizeAdded,
                ["failureReason"] = summary.FailureReason,
                ["resourceCounts"] = new JsonObject(summary.ResourceCounts.OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
                ["problems"] = Problems(summary.Problems),
                ["volumeSnapshots"] = summary.VolumeSnapshots.Count == 0 ? null : JsonSerializer.SerializeToNode(summary.VolumeSnapshots, SnapshotJson),
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(record);
    }

    /// <summary>The summary of a committed backup. BackupRecordInvalid when the record is not one this module wrote.</summary>
    public static BackupSummary FromInfo(BackupInfo info, string? storageLocation)
    {
        try
        {
            var record = info.Record;
            if ((string?)record["kind"] != "Backup" || record["status"] is not JsonObject status)
            {
                throw new FormatException("it is not a KubeBackup backup record (kind Backup with a status)");
            }
            var sizeAdded = (long?)status["sizeAdded"] ?? 0;
            return new BackupSummary
            {
                Name = info.Name,
                Phase = Enum.Parse<BackupPhase>((string?)status["phase"] ?? throw new FormatException("the phase is missing")),
                StorageLocation = storageLocation ?? (string?)record["storageLocation"],
                Started = ParseTime(status["startTimestamp"]) ?? info.Time,
                Completed = info.Time,
                Expires = ParseTime(status["expiration"]) ?? DateTimeOffset.MaxValue,
                Parent = (string?)status["parent"] ?? info.Parent,
                ItemsTotal = (long?)status["totalItems"] ?? 0,
                ItemsBackedUp = (long?)status["itemsBackedUp"] ?? 0,
                Size = (long?)status["size"] ?? info.Stats.LogicalBytes,
                // The repository's count is the truth: the manifest and index are added at commit, after the status was written.
                SizeAdded = Math.Max(sizeAdded, info.Stats.BytesAdded),
                FailureReason = (string?)status["failureReason"],
                Problems = ParseProblems(status["problems"]),
                VolumeSnapshots = status["volumeSnapshots"]?.Deserialize<List<BackupVolumeSnapshot>>(SnapshotJson) ?? [],
                Labels = TextMap(record["labels"]),
                Cluster = (string?)record["cluster"],
                Spec = SpecFromJson(record["spec"] as JsonObject ?? []),
                ResourceCounts = (status["resourceCounts"] as JsonObject ?? []).ToDictionary(p => p.Key, p => (long?)p.Value ?? 0, StringComparer.Ordinal),
                Stats = info.Stats,
            };
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException or JsonException)
        {
            throw new KbException(ErrorIds.BackupRecordInvalid, KbErrorCategory.InvalidData, info.Name, $"The record of backup '{info.Name}' cannot be read: {e.Message}.", e);
        }
    }

    private static readonly JsonSerializerOptions SnapshotJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static JsonObject SpecToJson(BackupSpec spec) => new()
    {
        ["includedNamespaces"] = Array(spec.IncludedNamespaces),
        ["excludedNamespaces"] = Array(spec.ExcludedNamespaces),
        ["includedResources"] = Array(spec.IncludedResources),
        ["excludedResources"] = Array(spec.ExcludedResources),
        ["labelSelector"] = spec.LabelSelector,
        ["orLabelSelectors"] = Array(spec.OrLabelSelectors),
        ["includeClusterResources"] = spec.IncludeClusterResources,
        ["ttl"] = Common.DurationParser.Format(spec.Ttl),
        ["storageLocation"] = spec.StorageLocation,
        ["snapshotVolumes"] = spec.SnapshotVolumes ? true : null,
        ["csiSnapshotTimeout"] = spec.SnapshotVolumes ? Common.DurationParser.Format(spec.SnapshotTimeout) : null,
        ["hooks"] = new JsonArray(spec.Hooks.Select(h => (JsonNode)new JsonObject
        {
            ["name"] = h.Name,
            ["includedNamespaces"] = Array(h.IncludedNamespaces),
            ["excludedNamespaces"] = Array(h.ExcludedNamespaces),
            ["labelSelector"] = h.LabelSelector,
            ["pre"] = Hooks(h.Pre),
            ["post"] = Hooks(h.Post),
        }).ToArray()),
    };

    public static BackupSpec SpecFromJson(JsonObject spec) => new()
    {
        IncludedNamespaces = TextList(spec["includedNamespaces"]),
        ExcludedNamespaces = TextList(spec["excludedNamespaces"]),
        IncludedResources = TextList(spec["includedResources"]),
        ExcludedResources = TextList(spec["excludedResources"]),
        LabelSelector = (string?)spec["labelSelector"],
        OrLabelSelectors = TextList(spec["orLabelSelectors"]),
        IncludeClusterResources = (bool?)spec["includeClusterResources"],
        Ttl = (string?)spec["ttl"] is { } ttl ? Common.DurationParser.Parse(ttl) : BackupSpec.DefaultTtl,
        StorageLocation = (string?)spec["storageLocation"],
        SnapshotVolumes = (bool?)spec["snapshotVolumes"] ?? false,
        SnapshotTimeout = (string?)spec["csiSnapshotTimeout"] is { } timeout ? Common.DurationParser.Parse(timeout) : BackupSpec.DefaultSnapshotTimeout,
        Hooks = (spec["hooks"] as JsonArray ?? []).OfType<JsonObject>().Select(h => new BackupHookSpec((string?)h["name"] ?? "")
        {
            IncludedNamespaces = TextList(h["includedNamespaces"]),
            ExcludedNamespaces = TextList(h["excludedNamespaces"]),
            LabelSelector = (string?)h["labelSelector"],
            Pre = ExecHooks(h["pre"] as JsonArray),
            Post = ExecHooks(h["post"] as JsonArray),
        }).ToList(),
    };

    private static JsonArray Hooks(IReadOnlyList<ExecHook> hooks) => new(hooks.Select(e => (JsonNode)new JsonObject
    {
        ["container"] = e.Container,
        ["command"] = Array(e.Command),
        ["onError"] = e.OnError.ToString(),
        ["timeout"] = Common.DurationParser.Format(e.Timeout),
    }).ToArray());

    private static List<ExecHook> ExecHooks(JsonArray? hooks) => (hooks ?? []).OfType<JsonObject>().Select(e => new ExecHook((string?)e["container"], TextList(e["command"]))
    {
        OnError = Enum.Parse<HookErrorMode>((string?)e["onError"] ?? nameof(HookErrorMode.Fail)),
        Timeout = (string?)e["timeout"] is { } timeout ? Common.DurationParser.Parse(timeout) : TimeSpan.FromSeconds(30),
    }).ToList();
}
