using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Help;

/// <summary>Where the help tests find the docs, the built module and the built HelpBuilder.</summary>
internal static class HelpTestPaths
{
    public static string RepoRoot => Repo.Root;

    public static string DocsDirectory => Path.Combine(Repo.Root, "docs", "en-US");

    public static string ModuleManifest => Repo.ModuleManifest;

    /// <summary>The HelpBuilder the module build ran: built in the same configuration as these tests.</summary>
    public static string HelpBuilderDll => Path.Combine(Repo.Root, "tools", "HelpBuilder", "bin", Repo.Configuration, "net10.0", "HelpBuilder.dll");
}
