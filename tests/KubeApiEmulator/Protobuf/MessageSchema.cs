namespace KubeApiEmulator.Protobuf;

public enum FieldType
{
    String,
    Bytes,
    Int,
    Bool,
    Message,
    StringMap,
    BytesMap,
}

/// <summary>One field of a message: its JSON name, type, whether it repeats, and the nested schema.</summary>
public sealed record FieldSchema(string Name, FieldType Type, bool Repeated = false, MessageSchema? Message = null);

/// <summary>A protobuf message as generated.proto describes it, by field number.</summary>
public sealed class MessageSchema(IReadOnlyDictionary<int, FieldSchema> fields)
{
    public IReadOnlyDictionary<int, FieldSchema> Fields { get; } = fields;
}
