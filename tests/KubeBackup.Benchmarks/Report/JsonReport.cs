using System.Text.Json;
using System.Text.Json.Serialization;

namespace KubeBackup.Benchmarks.Report;

/// <summary>The report as JSON, for tools that compare runs.</summary>
public static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Render(BenchmarkReport report) => JsonSerializer.Serialize(report, Options);
}
