using System.Globalization;
using System.Text.Json.Nodes;

namespace KubeBackup.Core.Backup;

/// <summary>The fields backup and restore records share, written and read one way: text lists, text maps, times, problems.</summary>
internal static class RecordJsonParts
{
    public static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    /// <summary>A map of texts, keys in ordinal order so records of equal specs are equal text.</summary>
    public static JsonObject Map(IReadOnlyDictionary<string, string> values) =>
        new(values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));

    public static List<string> TextList(JsonNode? values) => (values as JsonArray ?? []).Select(v => (string?)v ?? "").ToList();

    public static Dictionary<string, string> TextMap(JsonNode? map) =>
        (map as JsonObject ?? []).ToDictionary(p => p.Key, p => (string?)p.Value ?? "", StringComparer.Ordinal);

    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTime(JsonNode? value) =>
        (string?)value is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null;

    public static JsonArray Problems(IEnumerable<BackupProblem> problems) => new(problems.Select(p => (JsonNode)new JsonObject
    {
        ["severity"] = p.Severity.ToString(),
        ["target"] = p.Target,
        ["message"] = p.Message,
    }).ToArray());

    public static List<BackupProblem> ParseProblems(JsonNode? problems) => (problems as JsonArray ?? []).OfType<JsonObject>().Select(p => new BackupProblem(
        Enum.Parse<BackupProblemSeverity>((string?)p["severity"] ?? "Error"), (string?)p["target"], (string?)p["message"] ?? "")).ToList();
}
