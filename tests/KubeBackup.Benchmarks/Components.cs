using System.Diagnostics;

namespace KubeBackup.Benchmarks;

/// <summary>
/// The built programs the backup scenario runs out of process: the emulator, the module folder out/KubeBackup and the
/// KbShell PowerShell host. Each is built in Release when missing (a line says so); a failed build is a failure.
/// </summary>
public sealed class Components(string repoRoot, Action<string> log)
{
    public string EmulatorAssembly => Path.Combine(repoRoot, "tests", "KubeApiEmulator", "bin", "Release", "net10.0", "KubeApiEmulator.dll");

    public string ModuleManifest => Path.Combine(repoRoot, "out", "KubeBackup", "KubeBackup.psd1");

    public string ShellAssembly => Path.Combine(repoRoot, "tools", "KbShell", "bin", "Release", "net10.0", "KbShell.dll");

    public async Task EnsureBuiltAsync()
    {
        await BuildIfMissingAsync(EmulatorAssembly, "tests/KubeApiEmulator");
        await BuildIfMissingAsync(ModuleManifest, "src/KubeBackup");
        await BuildIfMissingAsync(ShellAssembly, "tools/KbShell");
    }

    private async Task BuildIfMissingAsync(string output, string project)
    {
        if (File.Exists(output))
        {
            return;
        }
        log($"{output} is missing: dotnet build {project} -c Release");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = repoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "build", project, "-c", "Release", "-nologo", "-v", "q" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || !File.Exists(output))
        {
            throw new InvalidOperationException($"dotnet build {project} -c Release failed ({process.ExitCode}):\n{await stdout}{await stderr}");
        }
    }
}
