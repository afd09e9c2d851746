namespace KubeBackup.Core.Repository;

/// <summary>Lower-case hex, the spelling of every id in the repository.</summary>
internal static class Hex
{
    public static string Lower(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
