using System.Diagnostics;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Schedules;

/// <summary>
/// Get-KbSchedule's table view as a console shows it (KbShell, Out-Default): a failing script block in a view prints
/// an empty cell, not an error, so the computed columns are checked for their text.
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class ScheduleFormatViewTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kb-render-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task TheTableShowsTheZoneTheLastBackupItsAgeTheNextRunAndLate()
    {
        var output = await RenderAsync();

        Assert.Matches(@"Name\s+Cron\s+Paused\s+LastBackup\s+Age\s+NextRun\s+Late", output);
        Assert.Matches(@"render-daily\s+CRON_TZ=Asia/Shanghai 0 2 \* \* \*\s+yes\s+-\s+-\s+\d{4}-\d\d-\d\d \d\d:\d\d\s*\n", output);
        Assert.Matches(@"render-hourly\s+0 \* \* \* \*\s+render-hourly-20261124060000 \(Failed\)\s+3h\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+LATE", output);
    }

    private async Task<string> RenderAsync()
    {
        var shell = Path.Combine(Repo.Root, "tools", "KbShell", "bin", Repo.Configuration, "net10.0", "KbShell.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { shell, Path.Combine(AppContext.BaseDirectory, "Scripts", "RenderSchedules.ps1"), "-ModuleManifest", Repo.ModuleManifest, "-Url", new Uri(Path.Combine(_directory, "repo")).AbsoluteUri })
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
