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
        var result = session.Invoke("& $args[0] -Task Demo -NoBuild -Configuration $args[1] -InformationAction Continue",
            Path.Combine(Repo.Root, "build.ps1"), Repo.Configuration).ThrowIfErrors();

        var contexts = result.Output.Where(o => o.TypeNames[0] == "KubeBackup.Core.Cluster.KubeContextInfo").ToList();
        Assert.Equal("demo", Assert.Single(contexts).Properties["Name"].Value);
        var status = result.Output.Single(o => o.TypeNames[0] == "KubeBackup.Core.Cluster.ClusterStatus");
        Assert.True((bool)status.Properties["Reachable"].Value);
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
        Assert.Matches(@"Reachable\s+:\s+True", stdout);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(stdout, "== Connecting to the demo cluster"));
    }
}
