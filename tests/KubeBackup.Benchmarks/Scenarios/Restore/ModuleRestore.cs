using System.Diagnostics;
using System.Globalization;

namespace KubeBackup.Benchmarks.Scenarios.Restore;

/// <summary>
/// Restore-KbBackup as a user runs it, in PowerShell hosted by KbShell in a child process, as
/// <see cref="Backup.ModuleBackup"/> runs New-KbBackup (and for the same reason). The backup is read from the default
/// location (KUBEBACKUP_DATA_DIR). Two restores per session, each into its own empty cluster: the first pays for JIT
/// compilation as a one-off restore does, the second is warm.
/// </summary>
public static class ModuleRestore
{
    public sealed record Restore(double Seconds, long Created);

    public sealed record Result(double ImportSeconds, Restore First, Restore Second);

    private const string Script = """
        param([string] $Module, [string] $Backup, [string] $RestoreName, [string] $FirstKubeconfig, [string] $SecondKubeconfig)
        $ErrorActionPreference = 'Stop'
        $inv = [System.Globalization.CultureInfo]::InvariantCulture
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        Import-Module $Module
        'KB-IMPORT ' + $watch.Elapsed.TotalSeconds.ToString($inv)
        $n = 0
        foreach ($kubeconfig in $FirstKubeconfig, $SecondKubeconfig) {
            $n++
            $watch.Restart()
            $restore = Restore-KbBackup $Backup -RestoreName "$RestoreName-$n" -Kubeconfig $kubeconfig
            $seconds = $watch.Elapsed.TotalSeconds
            if ("$($restore.Phase)" -ne 'Completed') { throw "Restore-KbBackup ended $($restore.Phase): $($restore.FailureReason)" }
            'KB-RESTORE ' + $seconds.ToString($inv) + ' ' + $restore.Created
        }
        """;

    /// <param name="dataDirectory">KUBEBACKUP_DATA_DIR: its repository/ holds the backup.</param>
    public static async Task<Result> RunAsync(Components components, string dataDirectory, string backupName, string restoreName,
        string firstKubeconfig, string secondKubeconfig, string directory)
    {
        Directory.CreateDirectory(directory);
        var script = Path.Combine(directory, "bench-module-restore.ps1");
        await File.WriteAllTextAsync(script, Script);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { components.ShellAssembly, script, components.ModuleManifest, backupName, restoreName, firstKubeconfig, secondKubeconfig })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["KUBEBACKUP_CONFIG_DIR"] = Path.Combine(directory, "config");
        start.Environment["KUBEBACKUP_DATA_DIR"] = dataDirectory;
        start.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("KbShell did not start.");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lines = stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var import = lines.FirstOrDefault(l => l.StartsWith("KB-IMPORT ", StringComparison.Ordinal));
        var restores = lines.Where(l => l.StartsWith("KB-RESTORE ", StringComparison.Ordinal)).ToList();
        if (process.ExitCode != 0 || import is null || restores.Count != 2)
        {
            throw new InvalidOperationException($"Restore-KbBackup in KbShell failed ({process.ExitCode}):\n{stdout}{await stderr}");
        }
        static Restore Parse(string line)
        {
            var parts = line.Split(' ');
            return new Restore(double.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
        }
        return new Result(double.Parse(import.Split(' ')[1], CultureInfo.InvariantCulture), Parse(restores[0]), Parse(restores[1]));
    }
}
