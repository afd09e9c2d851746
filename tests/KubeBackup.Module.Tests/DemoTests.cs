using System.Diagnostics;
using System.Management.Automation;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests;

/// <summary>The README's run command, end to end: build.ps1 -Task Demo through a hosted engine and through KbShell.</summary>
[Collection(ModuleCollection.Name)]
public sealed class DemoTests
{
    [Fact]
    public void BuildScriptRunsTheDemoInAHostedEngine()
    {
        using var session = PowerShellSession.Start(importModule: false);
        // The demo renders each step with Out-Default; here Out-Default hands the objects back to be checked.
        var result = session.Invoke("""
            function global:Out-Default { process { $_ } }
            & $args[0] -Task Demo -NoBuild -Configuration $args[1] -InformationAction Continue
            """, Path.Combine(Repo.Root, "build.ps1"), Repo.Configuration).ThrowIfErrors();

        List<PSObject> OfType(string type) => result.Output.Where(o => o.TypeNames[0] == "KubeBackup.Core." + type).ToList();
        Assert.Equal("demo", Assert.Single(OfType("Cluster.KubeContextInfo")).Properties["Name"].Value);
        Assert.True((bool)Assert.Single(OfType("Cluster.ClusterStatus")).Properties["Reachable"].Value);
        Assert.Contains(OfType("Backup.BackupPreviewRow"), r => (string?)r.Properties["Namespace"].Value == "shop" && (string)r.Properties["Resource"].Value == "deployments.apps");
        Assert.True((bool)Assert.Single(OfType("Backup.BackupVerification")).Properties["Healthy"].Value);
        var backup = Assert.Single(OfType("Backup.BackupSummary"));
        Assert.Equal("shop-demo", backup.Properties["Name"].Value);
        Assert.Equal("Completed", backup.Properties["Phase"].Value.ToString());
        Assert.Contains(OfType("Backup.BackupItem"), i => (string)i.Properties["Resource"].Value == "statefulsets" && (string)i.Properties["Name"].Value == "db");
        Assert.All(OfType("Backup.BackupItem"), i => Assert.Equal("shop", i.Properties["Namespace"].Value));
        var plan = OfType("Restore.RestoreItemResult").Where(i => i.Properties["Outcome"].Value is null).ToList();
        Assert.Contains(plan, i => (string)i.Properties["Resource"].Value == "deployments" && (string?)i.Properties["TargetNamespace"].Value == "shop-restored" && i.Properties["Action"].Value.ToString() == "Create");
        var restore = Assert.Single(OfType("Restore.RestoreSummary"));
        Assert.Equal("Completed", restore.Properties["Phase"].Value.ToString());
        Assert.Contains(OfType("Restore.RestoreItemResult"), i => (string)i.Properties["Name"].Value == "db" && i.Properties["Outcome"].Value?.ToString() == "Created");
    }

    [Fact]
    public async Task KbShellRunsTheDemoAsTheReadmeSays()
    {
        var shell = Path.Combine(Repo.Root, "tools", "KbShell", "bin", Repo.Configuration, "net10.0", "KbShell.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo.Root };
        foreach (var argument in new[] { shell, "./build.ps1", "-Task", "Demo", "-NoBuild", "-Configuration", Repo.Configuration })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var stderr = await stderrTask;

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{stdout}\n{stderr}");
        // Rendered by the module's format views; host messages once each.
        Assert.Matches(@"\*\s+demo\s+demo\s+http://127\.0\.0\.1", stdout);
        Assert.Matches(@"demo\s+True\s+v1\.\d+", stdout);
        Assert.Matches(@"shop\s+deployments\.apps\s+1", stdout);
        Assert.Matches(@"shop-demo\s+True\s+\d+", stdout);
        Assert.Matches(@"shop-demo\s+Completed\s+(\d+)/\1\s", stdout);
        Assert.Matches(@"shop\s+statefulsets\.apps\s+db", stdout);
        Assert.Contains("Namespace: shop-restored (from shop)", stdout, StringComparison.Ordinal);
        Assert.Matches(@"Create\s+deployments\.apps\s+web", stdout);
        Assert.Matches(@"shop-demo-restored\s+shop-demo\s+Completed\s+\d+\s+0\s+\d+\s+0\s", stdout);
        Assert.Matches(@"Created\s+statefulsets\.apps\s+db", stdout);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(stdout, "== Connecting to the demo cluster"));
    }
}
