using System.Runtime.InteropServices;

namespace KubeBackup.Benchmarks;

/// <summary>What the figures were measured on.</summary>
public sealed record MachineInfo(int Cores, long MemoryBytes, string Cpu, string Os, string Runtime, DateTimeOffset Date)
{
    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        CpuModel(),
        RuntimeInformation.OSDescription + " " + RuntimeInformation.OSArchitecture,
        RuntimeInformation.FrameworkDescription,
        DateTimeOffset.UtcNow);

    private static string CpuModel()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (File.Exists(cpuinfo))
        {
            var line = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null && line.IndexOf(':') is var colon and >= 0)
            {
                return line[(colon + 1)..].Trim();
            }
        }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
