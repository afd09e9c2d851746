using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace KubeBackup.Loading;

/// <summary>
/// The module's own load context. KubeBackup.Core and every third-party assembly it needs
/// (KubernetesClient, YamlDotNet, AWSSDK, Azure SDK, ...) load here from the module's
/// <c>dependencies/</c> folder, so other modules that loaded other versions of the same
/// assemblies into the default context (powershell-yaml, AWS.Tools, Az) do not conflict with us.
/// This is the pattern of the PowerShell docs, "Resolving PowerShell module assembly dependency conflicts".
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _directory;
    private readonly string _frameworkDirectory = RuntimeEnvironment.GetRuntimeDirectory();

    public DependencyLoadContext(string directory) : base("KubeBackup", isCollectible: false)
    {
        _directory = directory;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(_directory, assemblyName.Name + ".dll");
        if (!File.Exists(path) || FrameworkProvides(assemblyName))
        {
            return null; // the default context: the shared framework and PowerShell itself
        }
        return LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = Path.Combine(_directory, unmanagedDllName);
        return File.Exists(path) ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }

    // Packages built for net8.0 carry copies of framework assemblies (System.Text.Json 8, ...) for the
    // .NET 8 runtime; on a newer runtime the framework's own, newer copy is the one to share.
    private bool FrameworkProvides(AssemblyName name)
    {
        var frameworkPath = Path.Combine(_frameworkDirectory, name.Name + ".dll");
        if (!File.Exists(frameworkPath))
        {
            return false;
        }
        var frameworkVersion = AssemblyName.GetAssemblyName(frameworkPath).Version;
        return name.Version is null || (frameworkVersion is not null && frameworkVersion >= name.Version);
    }
}
