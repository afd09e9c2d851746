using System.Diagnostics;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests;

/// <summary>
/// A process killed between pack upload and commit (issue 4): the repository stays valid, the half-written
/// backup is invisible, and the next backup and a prune both succeed at once, with no lock left behind.
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kb-crash-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task AKilledBackupLeavesAValidRepository()
    {
        var repository = Path.Combine(_directory, "repo");
        await KillWhileWritingAsync(repository);
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(repository, "packs"), "*", SearchOption.AllDirectories));
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(repository, "locks")));

        using var session = PowerShellSession.Start();
        var result = session.Invoke("""
            . ([System.IO.Path]::Combine($args[1], 'Scripts', 'CoreAccess.ps1'))
            $repository = Open-TestRepository $args[0]
            'listed:' + (Wait-Task ($repository.ListBackupsAsync($script:None))).Count
            $writer = Wait-Task ($repository.BeginBackupAsync('next', [NullString]::Value, $script:None))
            Add-TestItems $writer 10 1024
            $record = [System.Text.Encoding]::UTF8.GetBytes('{"phase":"Completed"}')
            [void](Wait-Task ($writer.CommitAsync([System.ReadOnlyMemory[byte]]::new($record), [System.ReadOnlyMemory[byte]]::Empty, $script:None)))
            'listed:' + ((Wait-Task ($repository.ListBackupsAsync($script:None))) | ForEach-Object Name)
            $prune = New-CoreObject 'KubeBackup.Core.Repository.PruneOptions'
            $prune.GetType().GetProperty('GracePeriod').SetValue($prune, [TimeSpan]::Zero)
            $pruned = Wait-Task ($repository.PruneAsync($prune, $script:None))
            'deleted:' + $pruned.PacksDeleted
            'verified:' + (Wait-Task ($repository.VerifyAsync($null, $script:None))).IsHealthy
            """, repository, AppContext.BaseDirectory).ThrowIfErrors();

        var lines = result.Output.Select(o => o.ToString()).ToList();
        Assert.Equal("listed:0", lines[0]);
        Assert.Equal("listed:next", lines[1]);
        Assert.True(int.Parse(lines[2]["deleted:".Length..]) >= 2, string.Join("\n", lines));
        Assert.Equal("verified:True", lines[3]);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(repository, "locks")));
    }

    private static async Task KillWhileWritingAsync(string repository)
    {
        var shell = Path.Combine(Repo.Root, "tools", "KbShell", "bin", Repo.Configuration, "net10.0", "KbShell.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { shell, Path.Combine(AppContext.BaseDirectory, "Scripts", "CrashWriter.ps1"), "-ModuleManifest", Repo.ModuleManifest, "-Directory", repository })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line == "READY")
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(timeout.Token);
                    return;
                }
            }
            throw new InvalidOperationException($"The writer exited before it was killed: {await stderr}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
