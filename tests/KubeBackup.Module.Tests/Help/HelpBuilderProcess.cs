using System.Diagnostics;

namespace KubeBackup.Module.Tests.Help;

/// <summary>Runs the built HelpBuilder as the module build does, as a child process.</summary>
internal sealed record HelpBuilderProcess(int ExitCode, string Output, string Error)
{
    public static HelpBuilderProcess Run(string docs, string output, string moduleAssembly)
    {
        Assert.True(File.Exists(HelpTestPaths.HelpBuilderDll), $"HelpBuilder is not built: {HelpTestPaths.HelpBuilderDll} is missing.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { HelpTestPaths.HelpBuilderDll, "--docs", docs, "--out", output, "--module-assembly", moduleAssembly })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "HelpBuilder did not finish in 2 minutes");
        return new HelpBuilderProcess(process.ExitCode, stdout.Result, stderr.Result);
    }
}
