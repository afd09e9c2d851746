using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace KubeBackup.Module.Tests.Help;

/// <summary>
/// A runspace of the in-process PowerShell engine for the help tests. Only the engine's core cmdlets
/// exist in this host (no Utility module), so results are read from the returned objects, not formatted.
/// </summary>
internal sealed class HelpHost : IDisposable
{
    private readonly Runspace _runspace;

    private HelpHost(InitialSessionState state)
    {
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
    }

    /// <summary>A runspace with the built module out/KubeBackup imported.</summary>
    public static HelpHost WithBuiltModule()
    {
        Assert.True(File.Exists(HelpTestPaths.ModuleManifest), $"The module is not built: {HelpTestPaths.ModuleManifest} is missing.");
        var host = new HelpHost(InitialSessionState.CreateDefault2());
        host.Invoke("Import-Module", new() { ["Name"] = HelpTestPaths.ModuleManifest });
        return host;
    }

    /// <summary>A runspace with one cmdlet whose help file is the given MAML file.</summary>
    public static HelpHost WithCmdlet(string name, Type implementation, string helpFile)
    {
        var state = InitialSessionState.CreateDefault2();
        state.Commands.Add(new SessionStateCmdletEntry(name, implementation, helpFile));
        return new HelpHost(state);
    }

    public List<PSObject> Invoke(string command, Dictionary<string, object?> parameters)
    {
        using var shell = PowerShell.Create(_runspace);
        shell.AddCommand(command).AddParameters(parameters);
        var results = shell.Invoke().ToList();
        var errors = shell.Streams.Error.Select(e => e.ToString()).ToList();
        Assert.True(errors.Count == 0, $"{command} wrote errors:\n{string.Join("\n", errors)}");
        return results;
    }

    public PSObject GetHelp(string name, bool full = true)
    {
        var parameters = new Dictionary<string, object?> { ["Name"] = name };
        if (full)
        {
            parameters["Full"] = true;
        }

        return Assert.Single(Invoke("Get-Help", parameters));
    }

    public void Dispose() => _runspace.Dispose();

    /// <summary>A property of a help object, or null; help objects are property bags, not typed.</summary>
    public static object? Property(object? value, string name) =>
        value is PSObject psObject ? Unwrap(psObject.Properties[name]?.Value) : null;

    /// <summary>A help node that holds one item or an array of them, as a list either way.</summary>
    public static List<object?> Items(object? value) =>
        Unwrap(value) switch
        {
            null => [],
            string text => [text],
            IEnumerable many => many.Cast<object?>().Select(Unwrap).ToList(),
            var single => [single],
        };

    /// <summary>The text of a MAML description: its paragraphs' Text properties, joined.</summary>
    public static string Text(object? description) =>
        string.Join("\n", Items(description).Select(p => Property(p, "Text")?.ToString() ?? (p as string) ?? string.Empty)).Trim();

    // Get-Help builds its objects as property bags; text and arrays inside them arrive wrapped.
    private static object? Unwrap(object? value) =>
        value is PSObject { BaseObject: string or IEnumerable } wrapped ? wrapped.BaseObject : value;
}
