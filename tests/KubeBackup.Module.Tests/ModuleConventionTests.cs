using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;
using System.Xml.Linq;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests;

/// <summary>The conventions every cmdlet of the built module keeps (DESIGN section 2).</summary>
[Collection(ModuleCollection.Name)]
public sealed class ModuleConventionTests : IDisposable
{
    // Verbs whose cmdlets only read: everything else changes a cluster, a repository or a file.
    private static readonly HashSet<string> ReadOnlyVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "Get", "Test", "Compare", "Find", "Search", "Measure", "Resolve", "Show", "Watch", "ConvertTo", "ConvertFrom", "Export",
    };

    private readonly PowerShellSession _session = PowerShellSession.Start();

    public void Dispose() => _session.Dispose();

    [Fact]
    public void ExportedCmdletsEqualTheManifestList()
    {
        var manifest = (object[])ReadManifest()["CmdletsToExport"]!;
        var exported = Commands().Select(c => c.Name).Order().ToList();
        Assert.Equal(manifest.Cast<string>().Order().ToList(), exported);
    }

    [Fact]
    public void EveryCmdletClassInTheAssemblyIsExported()
    {
        var assembly = (Assembly)_session.Invoke("(Get-Module KubeBackup).ImplementingAssembly").ThrowIfErrors().Output.Single().BaseObject;
        var classes = assembly.GetTypes()
            .Select(t => t.GetCustomAttribute<CmdletAttribute>())
            .OfType<CmdletAttribute>()
            .Select(a => $"{a.VerbName}-{a.NounName}")
            .Order()
            .ToList();
        Assert.Equal(classes, Commands().Select(c => c.Name).Order().ToList());
    }

    [Fact]
    public void EveryCmdletUsesAnApprovedVerbAndTheKbPrefix()
    {
        var approved = new[] { typeof(VerbsCommon), typeof(VerbsData), typeof(VerbsLifecycle), typeof(VerbsDiagnostic), typeof(VerbsCommunications), typeof(VerbsSecurity), typeof(VerbsOther) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Select(f => (string)f.GetValue(null)!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.All(Commands(), c =>
        {
            Assert.Contains(c.Verb, approved);
            Assert.StartsWith("Kb", c.Noun, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void EveryCmdletDeclaresOutputType()
    {
        Assert.All(Commands(), c => Assert.True(c.OutputType.Count > 0, $"{c.Name} declares no [OutputType]."));
    }

    [Fact]
    public void EveryStateChangingCmdletSupportsShouldProcess()
    {
        Assert.All(Commands().Where(c => !ReadOnlyVerbs.Contains(c.Verb)), c =>
        {
            Assert.True(c.Parameters.ContainsKey("WhatIf") && c.Parameters.ContainsKey("Confirm"), $"{c.Name} changes state but has no -WhatIf/-Confirm.");
        });
    }

    [Fact]
    public void EveryOutputTypeOfOurOwnHasAFormatView()
    {
        var formats = XDocument.Load(Path.Combine(Repo.ModuleDirectory, "KubeBackup.format.ps1xml"));
        var viewed = formats.Descendants("TypeName").Select(e => e.Value.Trim()).ToHashSet(StringComparer.Ordinal);
        var ours = Commands().SelectMany(c => c.OutputType).Select(t => t.Name).Where(n => n.StartsWith("KubeBackup.", StringComparison.Ordinal)).Distinct();
        Assert.All(ours, name => Assert.Contains(name, viewed));
    }

    private List<CmdletInfo> Commands() =>
        _session.Invoke("Get-Command -Module KubeBackup").ThrowIfErrors().Output.Select(o => (CmdletInfo)o.BaseObject).ToList();

    private static Hashtable ReadManifest()
    {
        var ast = Parser.ParseFile(Path.Combine(Repo.Root, "KubeBackup.psd1"), out _, out var errors);
        Assert.Empty(errors);
        return (Hashtable)ast.Find(a => a is HashtableAst, false)!.SafeGetValue();
    }
}
