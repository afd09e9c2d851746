using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace KubeBackup.Loading;

/// <summary>
/// Runs when the module is imported. The module assembly lives in the default context; the only
/// assembly it references from <c>dependencies/</c> is KubeBackup.Core, and that one reference is
/// resolved into <see cref="DependencyLoadContext"/>, which then resolves everything Core needs.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private const string CoreAssemblyName = "KubeBackup.Core";

    private static readonly string DependencyDirectory = Path.Combine(
        Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "dependencies");

    private static readonly Lazy<DependencyLoadContext> LoadContext = new(() => new DependencyLoadContext(DependencyDirectory));

    public void OnImport() => AssemblyLoadContext.Default.Resolving += ResolveCore;

    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveCore;

    private static Assembly? ResolveCore(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == CoreAssemblyName ? LoadContext.Value.LoadFromAssemblyName(name) : null;
}
