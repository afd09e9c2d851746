using System.Reflection;
using System.Runtime.Loader;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests;

/// <summary>
/// The module must work in a session where other modules (powershell-yaml, AWS.Tools) already loaded
/// older YamlDotNet and AWSSDK.Core into the default load context (DESIGN section 2).
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class DependencyIsolationTests
{
    private readonly ModuleFixture _fixture;

    public DependencyIsolationTests(ModuleFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void TheModuleWorksAfterOtherVersionsWereLoadedIntoTheDefaultContext()
    {
        var prelude = $"""
            [void][System.Reflection.Assembly]::LoadFrom('{Repo.ConflictingAssembly("YamlDotNet.dll")}')
            [void][System.Reflection.Assembly]::LoadFrom('{Repo.ConflictingAssembly("AWSSDK.Core.dll")}')
            """;
        using var session = PowerShellSession.Start(prelude);

        // Parses the YAML kubeconfig and builds a Kubernetes client configuration, then calls the server.
        var result = session.Invoke("Test-KbConnection -Kubeconfig $args[0]", _fixture.Emulator.KubeconfigText).ThrowIfErrors();
        Assert.True((bool)result.Output.Single().Properties["Reachable"].Value);

        var yaml = LoadedVersions("YamlDotNet");
        Assert.Contains(yaml, a => a.Context == AssemblyLoadContext.Default && a.Version.Major == 13);
        Assert.Contains(yaml, a => a.Context.Name == "KubeBackup" && a.Version.Major >= 16);
        Assert.Contains(LoadedVersions("AWSSDK.Core"), a => a.Context == AssemblyLoadContext.Default && a.Version.Major == 3);
        Assert.DoesNotContain(LoadedVersions("KubeBackup.Core"), a => a.Context == AssemblyLoadContext.Default);
    }

    /// <summary>
    /// The control: the same assemblies in ONE context (what the default context would be without the
    /// module's own) fail on the same work. If this passes, the test above proves nothing.
    /// </summary>
    [Fact]
    public void WithoutIsolationTheSameWorkFails()
    {
        var shared = new SharedContext(Path.Combine(Repo.ModuleDirectory, "dependencies"), Repo.ConflictingAssembly("YamlDotNet.dll"));
        var core = shared.LoadFromAssemblyName(new AssemblyName("KubeBackup.Core"));
        var listContexts = core.GetType("KubeBackup.Core.Cluster.ClusterConnection", throwOnError: true)!.GetMethod("ListContexts")!;
        var environment = core.GetType("KubeBackup.Core.Cluster.ClusterEnvironment", throwOnError: true)!.GetMethod("FromProcess")!.Invoke(null, null);

        var failure = Record.Exception(() => listContexts.Invoke(null, [_fixture.Emulator.KubeconfigText, environment, Environment.CurrentDirectory]));

        Assert.NotNull(failure);
        var chain = new List<Exception>();
        for (var e = failure; e is not null; e = e.InnerException)
        {
            chain.Add(e);
        }
        Assert.True(chain.Any(e => e is FileLoadException or FileNotFoundException or MissingMethodException or TypeLoadException or MissingFieldException),
            $"Expected an assembly conflict, got {failure}");
    }

    private static List<(AssemblyLoadContext Context, Version Version)> LoadedVersions(string name) =>
        AssemblyLoadContext.All
            .SelectMany(c => c.Assemblies.Where(a => a.GetName().Name == name).Select(a => (c, a.GetName().Version!)))
            .ToList();

    /// <summary>One context holding the module's dependencies and an older YamlDotNet, as the default context would without isolation.</summary>
    private sealed class SharedContext : AssemblyLoadContext
    {
        private readonly string _dependencies;
        private readonly Assembly _yaml;

        public SharedContext(string dependencies, string olderYamlDotNet) : base("SharedWithoutIsolation", isCollectible: true)
        {
            _dependencies = dependencies;
            _yaml = LoadFromAssemblyPath(olderYamlDotNet);
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name == "YamlDotNet")
            {
                return _yaml;
            }
            var path = Path.Combine(_dependencies, assemblyName.Name + ".dll");
            return File.Exists(path) && !assemblyName.Name!.StartsWith("System.", StringComparison.Ordinal) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
