using System.Text.Json.Nodes;

namespace KubeBackup.Core.Backup.Hooks;

/// <summary>The parts of a pod object (JSON as listed) that hooks look at.</summary>
internal sealed record HookPod(string Namespace, string Name, JsonObject? Labels, IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyList<string> Containers, string? Phase)
{
    public string Key => $"{Namespace}/{Name}";

    public static HookPod From(JsonObject pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var metadata = pod["metadata"] as JsonObject;
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata?["annotations"] as JsonObject ?? [])
        {
            if (Text(value) is { } text)
            {
                annotations[key] = text;
            }
        }

        var containers = (pod["spec"]?["containers"] as JsonArray ?? [])
            .Select(container => Text(container?["name"]))
            .OfType<string>()
            .ToList();
        return new(Text(metadata?["namespace"]) ?? "", Text(metadata?["name"]) ?? "", metadata?["labels"] as JsonObject,
            annotations, containers, Text(pod["status"]?["phase"]));
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
