namespace KubeApiEmulator.Tests;

/// <summary>Manifest folders kept in the repository, reached from its root as the module tests reach demo/cluster.</summary>
public static class Fixtures
{
    public static readonly string RepoRoot = FindRoot();

    public static string WebApp => Path.Combine(RepoRoot, "tests", "fixtures", "webapp");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "KubeBackup.sln")))
                return directory.FullName;
        throw new InvalidOperationException($"KubeBackup.sln not found above {AppContext.BaseDirectory}.");
    }
}
