using System.Diagnostics;
using System.Globalization;

namespace KubeBackup.Benchmarks.Scenarios.Backup;

/// <summary>
/// New-KbBackup as a user runs it: the built module (out/KubeBackup) imported into PowerShell 7.6, hosted by KbShell in
/// a child process. Not in the harness process: the harness references KubeBackup.Core, and the default load context
/// would bind the module to that copy before the module's own load context is asked, so it would not be the module as
/// shipped. KUBEBACKUP_DATA_DIR/KUBEBACKUP_CONFIG_DIR point at temp folders, so the default location is a temp
/// repository. Two backups per session: the first pays for JIT compilation as a scheduled job does, the second is warm.
/// </summary>
public static class ModuleBackup
{
    public sealed record Backup(double Seconds, long Items, long SizeAdded, long RepositoryBytes);

    public sealed record Result(double ImportSeconds, Backup First, Backup Second);

    private const string Script = """
        param([string] $Module, [string] $Kubeconfig, [string] $FirstData, [string] $SecondData)
        $ErrorActionPreference = 'Stop'
        $inv = [System.Globalization.CultureInfo]::InvariantCulture
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        Import-Module $Module
        'KB-IMPORT ' + $watch.Elapsed.TotalSeconds.ToString($inv)
        foreach ($data in $FirstData, $SecondData) {
            $env:KUBEBACKUP_DATA_DIR = $data
            $watch.Restart()
            $backup = New-KbBackup -Name bench -Kubeconfig $Kubeconfig
            $seconds = $watch.Elapsed.TotalSeconds
            if ("$($backup.Phase)" -ne 'Completed') { throw "New-KbBackup ended $($backup.Phase): $($backup.FailureReason)" }
            'KB-BACKUP ' + $seconds.ToString($inv) + ' ' + $backup.ItemsBackedUp + ' ' + $backup.SizeAdded
        }
        """;

    public static async Task<Result> RunAsync(Components components, string kubeconfigPath, string directory)
    {
        Directory.CreateDirectory(directory);
        var script = Path.Combine(directory, "bench-module.ps1");
        await File.WriteAllTextAsync(script, Script);
        var data = new[] { Path.Combine(directory, "data-1"), Path.Combine(directory, "data-2") };
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { components.ShellAssembly, script, components.ModuleManifest, kubeconfigPath, data[0], data[1] })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["KUBEBACKUP_CONFIG_DIR"] = Path.Combine(directory, "config");
        start.Environment["KUBEBACKUP_DATA_DIR"] = data[0];
        start.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("KbShell did not start.");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lines = stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var import = lines.FirstOrDefault(l => l.StartsWith("KB-IMPORT ", StringComparison.Ordinal));
        var backups = lines.Where(l => l.StartsWith("KB-BACKUP ", StringComparison.Ordinal)).ToList();
        if (process.ExitCode != 0 || import is null || backups.Count != 2)
        {
            throw new InvalidOperationException($"New-KbBackup in KbShell failed ({process.ExitCode}):\n{stdout}{await stderr}");
        }
        Backup Parse(string line, string dataDirectory)
        {
            var parts = line.Split(' ');
            return new Backup(double.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture),
                long.Parse(parts[3], CultureInfo.InvariantCulture), CoreBackup.SizeOnDisk(Path.Combine(dataDirectory, "repository")));
        }
        return new Result(double.Parse(import.Split(' ')[1], CultureInfo.InvariantCulture), Parse(backups[0], data[0]), Parse(backups[1], data[1]));
    }
}
