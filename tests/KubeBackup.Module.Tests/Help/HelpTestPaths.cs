using System.Reflection;

namespace KubeBackup.Module.Tests.Help;

/// <summary>Where the help tests find the repository, the built module and the built HelpBuilder.</summary>
internal static class HelpTestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string DocsDirectory => Path.Combine(RepoRoot, "docs", "en-US");

    public static string ModuleManifest => Path.Combine(RepoRoot, "out", "KubeBackup", "KubeBackup.psd1");

    /// <summary>The HelpBuilder the module build ran: built in the same configuration as these tests.</summary>
    public static string HelpBuilderDll
    {
        get
        {
            var configuration = typeof(HelpTestPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            return Path.Combine(RepoRoot, "tools", "HelpBuilder", "bin", configuration, "net10.0", "HelpBuilder.dll");
        }
    }

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "KubeBackup.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No KubeBackup.sln above {AppContext.BaseDirectory}");
    }
}
