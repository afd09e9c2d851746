using System.Text.Json;
using System.Text.Json.Nodes;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Repository;

/// <summary>
/// <c>backups/&lt;name&gt;/backup.json</c>: the caller's record (its schema belongs to the backup cmdlets) with one member
/// owned by the repository, <c>repository</c>: format version, name, commit time, parent, the id of the sealed manifest
/// header (binding record and manifest together) and the stats.
/// </summary>
internal static class BackupRecord
{
    public const string Member = "repository";

    public static JsonObject ParseCallerRecord(ReadOnlyMemory<byte> json, string name)
    {
        try
        {
            return JsonNode.Parse(json.Span) as JsonObject ?? throw new JsonException("it is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new KbException(ErrorIds.BackupRecordInvalid, KbErrorCategory.InvalidArgument, name, $"The record of backup '{name}' must be a JSON object: {e.Message}");
        }
    }

    public static byte[] Complete(JsonObject record, string name, string? parent, DateTimeOffset time, BlobId manifestId, BackupStats stats)
    {
        record[Member] = new JsonObject
        {
            ["formatVersion"] = RepositoryLayout.FormatVersion,
            ["name"] = name,
            ["time"] = time.ToString("O"),
            ["parent"] = parent,
            ["manifest"] = manifestId.ToString(),
            ["stats"] = new JsonObject
            {
                ["items"] = stats.Items,
                ["streams"] = stats.Streams,
                ["logicalBytes"] = stats.LogicalBytes,
                ["blobs"] = stats.Blobs,
                ["newBlobs"] = stats.NewBlobs,
                ["bytesAdded"] = stats.BytesAdded,
                ["packsAdded"] = stats.PacksAdded,
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(record);
    }

    public static BackupInfo Parse(string name, byte[] json)
    {
        try
        {
            var record = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("not an object");
            var repository = record[Member] as JsonObject ?? throw new JsonException($"the '{Member}' member is missing");
            if ((string?)repository["name"] != name)
            {
                throw new JsonException($"it names backup '{repository["name"]}'");
            }
            var stats = repository["stats"] as JsonObject ?? throw new JsonException("stats are missing");
            return new BackupInfo(name,
                DateTimeOffset.Parse((string?)repository["time"] ?? throw new JsonException("time is missing"), System.Globalization.CultureInfo.InvariantCulture),
                (string?)repository["parent"], record,
                new BackupStats((long?)stats["items"] ?? 0, (long?)stats["streams"] ?? 0, (long?)stats["logicalBytes"] ?? 0, (long?)stats["blobs"] ?? 0,
                    (long?)stats["newBlobs"] ?? 0, (long?)stats["bytesAdded"] ?? 0, (int?)stats["packsAdded"] ?? 0));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new KbException(ErrorIds.BackupRecordInvalid, KbErrorCategory.InvalidData, name, $"The record of backup '{name}' is not valid: {e.Message}", e);
        }
    }

    public static BlobId ManifestId(BackupInfo info) =>
        BlobId.TryParse((string?)info.Record[Member]?["manifest"], out var id) ? id : throw new FormatException("the record's manifest id is not valid");
}
