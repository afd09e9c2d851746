using System.Text.Json;
using System.Text.Json.Nodes;
using KubeApiEmulator.Resources;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Tables;

/// <summary>meta.k8s.io/v1 Table responses, which kubectl get asks for by default.</summary>
public static class TableWriter
{
    public static bool Wanted(string? accept) =>
        accept is not null && accept.Contains("as=Table", StringComparison.Ordinal);

    public static JsonObject Build(ResourceDefinition def, IEnumerable<byte[]> objects, long? revision, string? continueToken,
        string? includeObject, DateTimeOffset now)
    {
        var columns = new JsonArray
        {
            Column("Name", "string", "name", "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names", 0),
        };
        foreach (var c in def.Columns)
            columns.Add(Column(c.Name, c.Type, c.Format, c.Description, c.Priority));
        columns.Add(Column("Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata", 0));

        var rows = new JsonArray();
        foreach (var bytes in objects)
        {
            using var doc = JsonDocument.Parse(bytes);
            var o = doc.RootElement;
            var cells = new JsonArray { JsonPaths.Text(o, "metadata.name") };
            foreach (var c in def.Columns)
                cells.Add(Cell(c.Cell(o)));
            var created = Timestamps.Parse(JsonPaths.Text(o, "metadata.creationTimestamp"));
            cells.Add(created is { } t ? HumanDuration.Format(now - t) : "<unknown>");
            var row = new JsonObject { ["cells"] = cells };
            switch (includeObject)
            {
                case "None":
                    break;
                case "Object":
                    row["object"] = JsonNode.Parse(bytes);
                    break;
                default:
                    row["object"] = new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = JsonNode.Parse(o.GetProperty("metadata").GetRawText()),
                    };
                    break;
            }
            rows.Add(row);
        }
        var meta = new JsonObject();
        if (revision is { } rv)
            meta["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (continueToken is not null)
            meta["continue"] = continueToken;
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = meta,
            ["columnDefinitions"] = columns,
            ["rows"] = rows,
        };
    }

    private static JsonObject Column(string name, string type, string format, string description, int priority) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["format"] = format,
        ["description"] = description,
        ["priority"] = priority,
    };

    private static JsonNode? Cell(object? value) => value switch
    {
        null => null,
        long l => l,
        int i => i,
        bool b => b,
        _ => value.ToString(),
    };
}
