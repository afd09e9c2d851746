using System.Management.Automation;

namespace KubeBackup.Module.Tests.Help;

/// <summary>The built module imported once for the help tests, with the cmdlets it exports.</summary>
public sealed class BuiltModuleHelp : IDisposable
{
    private readonly Lazy<HelpHost> _host = new(HelpHost.WithBuiltModule);

    internal HelpHost Host => _host.Value;

    /// <summary>The exported cmdlets; the tests fail, not pass vacuously, when there are none.</summary>
    internal IReadOnlyList<CmdletInfo> Cmdlets
    {
        get
        {
            var cmdlets = Host.Invoke("Get-Command", new() { ["Module"] = "KubeBackup" })
                .Select(c => c.BaseObject)
                .OfType<CmdletInfo>()
                .OrderBy(c => c.Name, StringComparer.Ordinal)
                .ToList();
            Assert.True(cmdlets.Count > 0, $"{HelpTestPaths.ModuleManifest} exports no cmdlet");
            return cmdlets;
        }
    }

    internal static string PagePath(string cmdlet) => Path.Combine(HelpTestPaths.DocsDirectory, cmdlet + ".md");

    public void Dispose()
    {
        if (_host.IsValueCreated)
        {
            _host.Value.Dispose();
        }
    }
}
