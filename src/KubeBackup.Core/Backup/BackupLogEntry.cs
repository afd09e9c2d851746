using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KubeBackup.Core.Backup;

public enum BackupLogLevel
{
    Info,
    Warning,
    Error,
}

/// <summary>
/// One line of a backup's log (<c>backups/&lt;name&gt;/log</c>, JSON lines:
/// <c>{"time":"2026-11-24T01:02:03.0000000+00:00","level":"Info","message":"...","target":"..."}</c>).
/// </summary>
public sealed record BackupLogEntry(DateTimeOffset Time, BackupLogLevel Level, string Message, string? Target = null)
{
    public string ToJsonLine() => new JsonObject
    {
        ["time"] = Time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        ["level"] = Level.ToString(),
        ["message"] = Message,
        ["target"] = Target,
    }.ToJsonString();

    /// <summary>Every entry of a log; lines that are not entries (a damaged tail) are skipped.</summary>
    public static IReadOnlyList<BackupLogEntry> ParseLog(ReadOnlySpan<byte> jsonLines)
    {
        var entries = new List<BackupLogEntry>();
        foreach (var line in Encoding.UTF8.GetString(jsonLines).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                if (JsonNode.Parse(line) is JsonObject o && (string?)o["time"] is { } time)
                {
                    entries.Add(new BackupLogEntry(DateTimeOffset.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                        Enum.TryParse<BackupLogLevel>((string?)o["level"], out var level) ? level : BackupLogLevel.Info,
                        (string?)o["message"] ?? "", (string?)o["target"]));
                }
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                // Not an entry.
            }
        }
        return entries;
    }

    public override string ToString() => $"{Time:u} {Level,-7} {(Target is null ? "" : Target + ": ")}{Message}";
}
