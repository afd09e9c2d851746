using System.Text;
using System.Text.Json.Nodes;

namespace KubeApiEmulator.Protobuf;

/// <summary>
/// Decodes application/vnd.kubernetes.protobuf request bodies of the kinds kubectl's generators send
/// (namespaces, config maps, secrets, service accounts) into JSON objects. Other kinds are not known here.
/// </summary>
public static class KubeProtobuf
{
    public const string ContentType = "application/vnd.kubernetes.protobuf";
    private static readonly byte[] Magic = [(byte)'k', (byte)'8', (byte)'s', 0];

    private static readonly MessageSchema Time = new(new Dictionary<int, FieldSchema>
    {
        [1] = new("seconds", FieldType.Int),
        [2] = new("nanos", FieldType.Int),
    });

    private static readonly MessageSchema OwnerReference = new(new Dictionary<int, FieldSchema>
    {
        [1] = new("kind", FieldType.String),
        [3] = new("name", FieldType.String),
        [4] = new("uid", FieldType.String),
        [5] = new("apiVersion", FieldType.String),
        [6] = new("controller", FieldType.Bool),
        [7] = new("blockOwnerDeletion", FieldType.Bool),
    });

    private static readonly MessageSchema ObjectMeta = new(new Dictionary<int, FieldSchema>
    {
        [1] = new("name", FieldType.String),
        [2] = new("generateName", FieldType.String),
        [3] = new("namespace", FieldType.String),
        [5] = new("uid", FieldType.String),
        [6] = new("resourceVersion", FieldType.String),
        [7] = new("generation", FieldType.Int),
        [8] = new("creationTimestamp", FieldType.Message, Message: Time),
        [11] = new("labels", FieldType.StringMap),
        [12] = new("annotations", FieldType.StringMap),
        [13] = new("ownerReferences", FieldType.Message, Repeated: true, Message: OwnerReference),
        [14] = new("finalizers", FieldType.String, Repeated: true),
    });

    private static readonly MessageSchema LocalObjectReference = new(new Dictionary<int, FieldSchema>
    {
        [1] = new("name", FieldType.String),
    });

    private static readonly MessageSchema ObjectReference = new(new Dictionary<int, FieldSchema>
    {
        [1] = new("kind", FieldType.String),
        [2] = new("namespace", FieldType.String),
        [3] = new("name", FieldType.String),
        [4] = new("uid", FieldType.String),
        [5] = new("apiVersion", FieldType.String),
        [6] = new("resourceVersion", FieldType.String),
        [7] = new("fieldPath", FieldType.String),
    });

    private static readonly Dictionary<(string ApiVersion, string Kind), MessageSchema> Kinds = new()
    {
        [("v1", "Namespace")] = new(new Dictionary<int, FieldSchema>
        {
            [1] = new("metadata", FieldType.Message, Message: ObjectMeta),
            [2] = new("spec", FieldType.Message, Message: new(new Dictionary<int, FieldSchema> { [1] = new("finalizers", FieldType.String, Repeated: true) })),
        }),
        [("v1", "ConfigMap")] = new(new Dictionary<int, FieldSchema>
        {
            [1] = new("metadata", FieldType.Message, Message: ObjectMeta),
            [2] = new("data", FieldType.StringMap),
            [3] = new("binaryData", FieldType.BytesMap),
            [4] = new("immutable", FieldType.Bool),
        }),
        [("v1", "Secret")] = new(new Dictionary<int, FieldSchema>
        {
            [1] = new("metadata", FieldType.Message, Message: ObjectMeta),
            [2] = new("data", FieldType.BytesMap),
            [3] = new("type", FieldType.String),
            [4] = new("stringData", FieldType.StringMap),
            [5] = new("immutable", FieldType.Bool),
        }),
        [("v1", "ServiceAccount")] = new(new Dictionary<int, FieldSchema>
        {
            [1] = new("metadata", FieldType.Message, Message: ObjectMeta),
            [2] = new("secrets", FieldType.Message, Repeated: true, Message: ObjectReference),
            [3] = new("imagePullSecrets", FieldType.Message, Repeated: true, Message: LocalObjectReference),
            [4] = new("automountServiceAccountToken", FieldType.Bool),
        }),
    };

    /// <summary>The object in the body, or null when its kind is not one this decoder knows.</summary>
    public static JsonObject? Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length < Magic.Length || !body[..Magic.Length].SequenceEqual(Magic))
            throw new FormatException("missing the k8s protobuf envelope prefix");
        var reader = new WireReader(body[Magic.Length..]);
        string apiVersion = "", kind = "";
        ReadOnlySpan<byte> raw = default;
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
            {
                var typeMeta = new WireReader(reader.ReadBytes());
                while (!typeMeta.AtEnd)
                {
                    var (f, w) = typeMeta.ReadTag();
                    if (f == 1 && w == 2)
                        apiVersion = Encoding.UTF8.GetString(typeMeta.ReadBytes());
                    else if (f == 2 && w == 2)
                        kind = Encoding.UTF8.GetString(typeMeta.ReadBytes());
                    else
                        typeMeta.Skip(w);
                }
            }
            else if (field == 2 && wire == 2)
                raw = reader.ReadBytes();
            else
                reader.Skip(wire);
        }
        if (!Kinds.TryGetValue((apiVersion, kind), out var schema))
            return null;
        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        ReadMessage(raw, schema, obj);
        return obj;
    }

    private static void ReadMessage(ReadOnlySpan<byte> data, MessageSchema schema, JsonObject target)
    {
        var reader = new WireReader(data);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            if (!schema.Fields.TryGetValue(number, out var field))
            {
                reader.Skip(wire);
                continue;
            }
            switch (field.Type)
            {
                case FieldType.StringMap or FieldType.BytesMap:
                    var (key, value) = ReadEntry(reader.ReadBytes(), field.Type == FieldType.BytesMap);
                    target.Child(field.Name)[key] = value;
                    break;
                default:
                    var node = ReadValue(ref reader, field);
                    if (field.Repeated)
                    {
                        if (target[field.Name] is not JsonArray list)
                            target[field.Name] = list = new JsonArray();
                        list.Add(node);
                    }
                    else if (!IsZero(node))
                    {
                        target[field.Name] = node;
                    }
                    break;
            }
        }
    }

    private static JsonNode? ReadValue(ref WireReader reader, FieldSchema field)
    {
        switch (field.Type)
        {
            case FieldType.String:
                return Encoding.UTF8.GetString(reader.ReadBytes());
            case FieldType.Bytes:
                return Convert.ToBase64String(reader.ReadBytes());
            case FieldType.Int:
                return (long)reader.ReadVarint();
            case FieldType.Bool:
                return reader.ReadVarint() != 0;
            default:
                var nested = new JsonObject();
                ReadMessage(reader.ReadBytes(), field.Message!, nested);
                return field.Message == Time ? TimeText(nested) : nested;
        }
    }

    /// <summary>Go writes empty strings and zero numbers on the wire; in JSON they are omitted (omitempty).</summary>
    private static bool IsZero(JsonNode? node) => node is null
        || node is JsonValue v && (v.TryGetValue<string>(out var s) && s.Length == 0 || v.TryGetValue<long>(out var l) && l == 0);

    private static JsonNode? TimeText(JsonObject time) =>
        time.Long("seconds") is > 0 and var seconds ? Timestamps.Format(DateTimeOffset.FromUnixTimeSeconds(seconds)) : null;

    private static (string Key, string Value) ReadEntry(ReadOnlySpan<byte> entry, bool bytes)
    {
        var reader = new WireReader(entry);
        string key = "", value = "";
        while (!reader.AtEnd)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == 2)
                key = Encoding.UTF8.GetString(reader.ReadBytes());
            else if (field == 2 && wire == 2)
                value = bytes ? Convert.ToBase64String(reader.ReadBytes()) : Encoding.UTF8.GetString(reader.ReadBytes());
            else
                reader.Skip(wire);
        }
        return (key, value);
    }
}
