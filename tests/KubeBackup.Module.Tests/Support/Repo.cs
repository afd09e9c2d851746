namespace KubeBackup.Module.Tests.Support;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();

    /// <summary>The configuration these tests were built in; the module and emulator were built in the same one.</summary>
    public static readonly string Configuration =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string ModuleManifest => Path.Combine(Root, "out", "KubeBackup", "KubeBackup.psd1");

    public static string ModuleDirectory => Path.Combine(Root, "out", "KubeBackup");

    public static string EmulatorAssembly => Path.Combine(Root, "tests", "KubeApiEmulator", "bin", Configuration, "net10.0", "KubeApiEmulator.dll");

    public static string ConflictingAssembly(string fileName) => Path.Combine(AppContext.BaseDirectory, "conflicting", fileName);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "KubeBackup.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"KubeBackup.sln not found above {AppContext.BaseDirectory}.");
    }
}
