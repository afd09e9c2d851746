using System.Diagnostics;
using System.Text.RegularExpressions;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Backups;

/// <summary>
/// The table views as a console shows them (KbShell, Out-Default at 120 columns). A failing script block in a view
/// prints an empty cell, not an error, so the computed columns are checked for their text.
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class BackupFormatViewTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kb-render-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task TheTableViewsShowEveryColumn()
    {
        var output = await RenderAsync();

        var backups = Section(output, "backups");
        Assert.Matches(@"Name\s+Phase\s+Items\s+Size\s+Errors\s+Warnings\s+Age\s+Expires", backups);
        Assert.Matches(@"render-partial\s+PartiallyFailed\s+1/1\s+\d+ B\s+1\s+0\s+\d+s\s+in 29d", backups);
        Assert.Matches(@"render-ok\s+Completed\s+2/2\s+\d+ B\s+0\s+0\s+\d+s\s+in 29d", backups);

        var items = Section(output, "items");
        Assert.Contains("Backup: render-ok", items, StringComparison.Ordinal);
        Assert.Matches(@"Namespace\s+Resource\s+Name\s+Size", items);
        Assert.Matches(@"prod\s+deployments\.apps\s+web\s+\d+ B", items);
        Assert.Matches(@"\n\s*namespaces\s+prod\s+\d+ B", items);

        var log = Section(output, "log");
        Assert.Matches(@"Time\s+Level\s+Target\s+Message", log);
        Assert.Matches(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d Error\s+v1 secrets prod/db\s+forbidden by RBAC", log);

        var verification = Section(output, "verification");
        Assert.Matches(@"Name\s+Healthy\s+Items\s+Size\s+Damaged\s+Problem", verification);
        Assert.Matches(@"render-ok\s+True\s+2\s+\d+ B\s+0", verification);
    }

    private static string Section(string output, string name)
    {
        var start = output.IndexOf($"== {name}", StringComparison.Ordinal);
        Assert.True(start >= 0, output);
        var end = output.IndexOf("== ", start + 3, StringComparison.Ordinal);
        return output[start..end];
    }

    private async Task<string> RenderAsync()
    {
        var shell = Path.Combine(Repo.Root, "tools", "KbShell", "bin", Repo.Configuration, "net10.0", "KbShell.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { shell, Path.Combine(AppContext.BaseDirectory, "Scripts", "RenderBackups.ps1"), "-ModuleManifest", Repo.ModuleManifest, "-Url", new Uri(Path.Combine(_directory, "repo")).AbsoluteUri })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["KUBEBACKUP_CONFIG_DIR"] = Path.Combine(_directory, "config");
        start.Environment["KUBEBACKUP_DATA_DIR"] = Path.Combine(_directory, "data");
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
