using System.Diagnostics;
using System.Management.Automation;
using System.Xml.Linq;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Compare;

/// <summary>Compare-KbBackup through the hosted engine: backups of the demo shop in an emulator, changed with kubectl.</summary>
[Collection(ModuleCollection.Name)]
public sealed class CompareBackupTests : IAsyncLifetime, IDisposable
{
    // Pods, replica sets and endpoints follow the workloads through the emulator's controllers, on their own time.
    private const string Steady = "-ExcludeResource pods, replicasets, endpoints, endpointslices";

    private readonly IsolatedUserDirectories _user = new();
    private EmulatorProcess? _shop;
    private PowerShellSession? _session;

    private EmulatorProcess Shop => _shop!;

    private PowerShellSession Session => _session!;

    public async Task InitializeAsync()
    {
        _shop = await EmulatorProcess.StartAsync("shop", "--load", Path.Combine(Repo.Root, "demo", "cluster"));
        _session = PowerShellSession.Start();
        Session.Invoke("$env:KUBECONFIG = $args[0]", Shop.KubeconfigPath).ThrowIfErrors();
    }

    public async Task DisposeAsync()
    {
        _session?.Dispose();
        if (_shop is not null)
        {
            await _shop.DisposeAsync();
        }
    }

    public void Dispose() => _user.Dispose();

    private static string Describe(PSObject d) =>
        $"{d.Properties["Change"].Value} {d.Properties["GroupResource"].Value} {d.Properties["Namespace"].Value}/{d.Properties["Name"].Value}";

    private static List<string> Paths(PSObject d) =>
        ((System.Collections.IEnumerable)d.Properties["Changes"].Value).Cast<object>().Select(c => PSObject.AsPSObject(c).ToString()).ToList();

    private void Kubectl(params string[] arguments)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--kubeconfig", Shop.KubeconfigPath }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl is not installed (apt-get install kubectl, or see README).");
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', arguments)}: {stderr.Result}");
    }

    private void ChangeTheShop()
    {
        Kubectl("scale", "deployment/web", "--replicas=5", "-n", "shop");
        Kubectl("delete", "configmap", "web-config", "-n", "shop");
        Kubectl("create", "secret", "generic", "api-token", "-n", "shop", "--from-literal=token=t");
    }

    [Fact]
    public void DriftBetweenABackupAndTheClusterIsAddedRemovedAndChangedWithTheFields()
    {
        Session.Invoke("New-KbBackup before").ThrowIfErrors();
        ChangeTheShop();

        var result = Session.Invoke($"Compare-KbBackup before {Steady}").ThrowIfErrors();

        Assert.Equal(["Removed configmaps shop/web-config", "Added secrets shop/api-token", "Changed deployments.apps shop/web"], result.Output.Select(Describe));
        Assert.All(result.Output, d => Assert.Equal("KubeBackup.Core.Compare.ItemDifference", d.TypeNames[0]));
        var web = result.Output[2];
        Assert.Equal(["spec.replicas: 3 -> 5"], Paths(web));
        Assert.Equal("before", web.Properties["Reference"].Value);
        Assert.Equal("cluster 'shop'", web.Properties["DifferenceTarget"].Value);
        Assert.NotEmpty(result.Progress);
    }

    [Fact]
    public void BackupsFromGetKbBackupPipeIntoItWithTheirLocation()
    {
        var url = new Uri(Path.Combine(_user.DataDirectory, "elsewhere")).AbsoluteUri;
        Session.Invoke("New-KbBackup piped -StorageLocation $args[0] -IncludeNamespace shop", url).ThrowIfErrors();
        Kubectl("scale", "deployment/web", "--replicas=5", "-n", "shop");

        var result = Session.Invoke("Get-KbBackup -StorageLocation $args[0] | Compare-KbBackup -IncludeResource deploy", url).ThrowIfErrors();

        var web = Assert.Single(result.Output);
        Assert.Equal("Changed deployments.apps shop/web", Describe(web));
        Assert.Equal(["spec.replicas: 3 -> 5"], Paths(web));
        Assert.Equal("piped", web.Properties["Reference"].Value);
    }

    [Fact]
    public void TwoBackupsCompareWithoutTheClusterAndUnchangedItemsAreWrittenWhenAsked()
    {
        Session.Invoke("New-KbBackup monday -IncludeNamespace shop").ThrowIfErrors();
        ChangeTheShop();
        Session.Invoke("New-KbBackup tuesday -IncludeNamespace shop").ThrowIfErrors();

        // A kubeconfig that names no reachable cluster: the comparison of two backups never contacts one.
        var result = Session.Invoke($"Compare-KbBackup monday tuesday -Kubeconfig /nonexistent/kubeconfig {Steady}").ThrowIfErrors();
        var all = Session.Invoke($"Compare-KbBackup -Name monday -DifferenceBackup tuesday -IncludeUnchanged {Steady}").ThrowIfErrors();

        Assert.Equal(["Removed configmaps shop/web-config", "Added secrets shop/api-token", "Changed deployments.apps shop/web"], result.Output.Select(Describe));
        Assert.All(result.Output, d => Assert.Equal("tuesday", d.Properties["DifferenceTarget"].Value));
        Assert.Equal(["spec.replicas: 3 -> 5"], Paths(result.Output[2]));
        Assert.Contains(all.Output, d => Describe(d) == "Unchanged services shop/web");
        Assert.Equal(3, all.Output.Count(d => d.Properties["Change"].Value.ToString() != "Unchanged"));
    }

    [Fact]
    public void ABackupThatDoesNotExistIsBackupNotFoundAndTheNextIsCompared()
    {
        var empty = Session.Invoke("Compare-KbBackup nope");
        Assert.Equal("BackupNotFound,KubeBackup.Commands.CompareKbBackupCommand", empty.SingleError().FullyQualifiedErrorId);

        Session.Invoke("New-KbBackup real -IncludeNamespace shop").ThrowIfErrors();
        var result = Session.Invoke($"'nope', 'real' | Compare-KbBackup -IncludeUnchanged {Steady}");
        var missingSecond = Session.Invoke("Compare-KbBackup real gone");

        var error = result.SingleError();
        Assert.Equal("BackupNotFound,KubeBackup.Commands.CompareKbBackupCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("nope", error.TargetObject);
        Assert.Contains("'default'", error.Exception.Message);
        Assert.NotEmpty(result.Output);
        Assert.All(result.Output, d => Assert.Equal("Unchanged", d.Properties["Change"].Value.ToString()));
        var gone = missingSecond.SingleError();
        Assert.Equal("BackupNotFound,KubeBackup.Commands.CompareKbBackupCommand", gone.FullyQualifiedErrorId);
        Assert.Equal("gone", gone.TargetObject);
        Assert.Empty(missingSecond.Output);
    }

    [Fact]
    public async Task TheTableViewShowsTheChangedFieldsAndTheListViewEveryDiffLine()
    {
        var directory = Path.Combine(_user.DataDirectory, "render");
        Directory.CreateDirectory(directory);
        var url = new Uri(Path.Combine(directory, "repo")).AbsoluteUri;
        Session.Invoke("New-KbBackup shown -StorageLocation $args[0] -IncludeNamespace shop", url).ThrowIfErrors();
        Kubectl("scale", "deployment/web", "--replicas=5", "-n", "shop");
        Kubectl("set", "image", "deployment/web", "web=nginx:1.99", "-n", "shop");
        Kubectl("label", "deployment/web", "-n", "shop", "--overwrite", "tier=edge", "team=shop");
        Kubectl("delete", "configmap", "web-config", "-n", "shop");
        var script = Path.Combine(directory, "render.ps1");
        File.WriteAllText(script, $$"""
            param([string] $ModuleManifest, [string] $Url)
            $ErrorActionPreference = 'Stop'
            Import-Module $ModuleManifest
            $differences = Compare-KbBackup shown -StorageLocation $Url {{Steady}}
            '== table' | Out-Default
            $differences | Out-Default
            '== end' | Out-Default
            """);

        var output = await RenderAsync(script, url, directory);

        var table = Section(output, "table");
        Assert.Contains("Compared: shown -> cluster 'shop'", table, StringComparison.Ordinal);
        Assert.Matches(@"Change\s+Resource\s+Namespace\s+Name\s+Fields", table);
        Assert.Matches(@"Removed\s+configmaps\s+shop\s+web-config", table);
        Assert.Matches(@"Changed\s+deployments\.apps\s+shop\s+web\s+metadata\.labels\.team, metadata\.labels\.tier \+2 more", table);

        // KbShell has no Format-List: the list view's script blocks run here, on the same objects, as the formatter runs them.
        var web = Session.Invoke($"Compare-KbBackup shown -StorageLocation $args[0] {Steady} | Where-Object Name -eq web", url).ThrowIfErrors().Output.Single();
        var scripts = Views.Descendants("View")
            .Where(v => v.Element("ViewSelectedBy")!.Elements("TypeName").Any(t => t.Value == "KubeBackup.Core.Compare.ItemDifference"))
            .SelectMany(v => v.Descendants("ScriptBlock").Select(b => (View: v.Element("Name")!.Value, Script: b.Value)))
            .ToList();
        Assert.Equal(["ItemDifference", "ItemDifference", "ItemDifferenceDetails"], scripts.Select(s => s.View));
        var shown = scripts.Select(s => Session.Invoke("Set-StrictMode -Version 3; $args[0] | ForEach-Object ([scriptblock]::Create($args[1]))", web, s.Script)
            .ThrowIfErrors().Output.Single().ToString()).ToList();
        Assert.Equal("shown -> cluster 'shop'", shown[0]);
        Assert.Equal("metadata.labels.team, metadata.labels.tier +2 more", shown[1]);
        Assert.Equal(
            string.Join(Environment.NewLine,
                "metadata.labels.team: (absent) -> \"shop\"",
                "metadata.labels.tier: \"frontend\" -> \"edge\"",
                "spec.replicas: 3 -> 5",
                "spec.template.spec.containers[name=web].image: \"nginx:1.27\" -> \"nginx:1.99\""),
            shown[2]);
    }

    private static readonly XDocument Views = XDocument.Load(Path.Combine(Repo.ModuleDirectory, "KubeBackup.format.ps1xml"));

    private static string Section(string output, string name)
    {
        var start = output.IndexOf($"== {name}", StringComparison.Ordinal);
        Assert.True(start >= 0, output);
        var end = output.IndexOf("== ", start + 3, StringComparison.Ordinal);
        return output[start..end];
    }

    /// <summary>Runs a script in KbShell's console host, so the format views render as a console shows them.</summary>
    private async Task<string> RenderAsync(string script, string url, string directory)
    {
        var shell = Path.Combine(Repo.Root, "tools", "KbShell", "bin", Repo.Configuration, "net10.0", "KbShell.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { shell, script, "-ModuleManifest", Repo.ModuleManifest, "-Url", url })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["KUBEBACKUP_CONFIG_DIR"] = Path.Combine(directory, "config");
        start.Environment["KUBEBACKUP_DATA_DIR"] = Path.Combine(directory, "data");
        start.Environment["KUBECONFIG"] = Shop.KubeconfigPath;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var output = (await stdout).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.True(process.ExitCode == 0, $"KbShell exited with {process.ExitCode}:\n{await stderr}\n{output}");
        Assert.Contains("== end", output, StringComparison.Ordinal);
        return output;
    }
}
