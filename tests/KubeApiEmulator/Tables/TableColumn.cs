using System.Text.Json;

namespace KubeApiEmulator.Tables;

/// <summary>A Table column the server prints for kubectl get; the cell is computed from the object.</summary>
public sealed record TableColumn(string Name, string Type, string Description, Func<JsonElement, object?> Cell)
{
    public string Format { get; init; } = "";
    public int Priority { get; init; }
}
