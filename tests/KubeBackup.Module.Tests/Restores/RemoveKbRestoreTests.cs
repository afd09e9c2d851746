using System.Management.Automation;
using KubeBackup.Module.Tests.Support;

namespace KubeBackup.Module.Tests.Restores;

/// <summary>Remove-KbRestore through the hosted engine: restore records made by real restores into an emulator.</summary>
[Collection(ModuleCollection.Name)]
public sealed class RemoveKbRestoreTests : IAsyncLifetime, IDisposable
{
    private readonly IsolatedUserDirectories _user = new();
    private readonly RecordingHost _host = new();
    private EmulatorProcess? _cluster;
    private PowerShellSession? _session;

    private PowerShellSession Session => _session!;

    public async Task InitializeAsync()
    {
        _cluster = await EmulatorProcess.StartAsync("prod", "--load", Path.Combine(Repo.Root, "tests", "fixtures", "webapp"));
        _session = PowerShellSession.Start(host: _host);
        Session.Invoke("$env:KUBECONFIG = $args[0]", _cluster.KubeconfigPath).ThrowIfErrors();
        Session.Invoke("New-KbBackup webapp-1 -IncludeNamespace webapp").ThrowIfErrors();
        foreach (var name in new[] { "sync-1", "sync-2", "manual" })
        {
            Session.Invoke("Restore-KbBackup webapp-1 -RestoreName $args[0] -NamespaceMapping @{ webapp = $args[0] }", name).ThrowIfErrors();
        }
    }

    public async Task DisposeAsync()
    {
        _session?.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    public void Dispose() => _user.Dispose();

    private List<string> Restores() => Session.Invoke("Get-KbRestore").ThrowIfErrors().Output.Select(o => (string)o.Properties["Name"].Value).Order().ToList();

    [Fact]
    public void RemovesByNameAndWildcardFromThePipelineAndWithPassThru()
    {
        Session.Invoke("Remove-KbRestore manual -Force").ThrowIfErrors();
        Assert.Equal(["sync-1", "sync-2"], Restores());

        var removed = Session.Invoke("Get-KbRestore | Where-Object Name -like 'sync-*' | Remove-KbRestore -Force -PassThru").ThrowIfErrors();

        Assert.Equal(["sync-1", "sync-2"], removed.Output.Select(o => (string)o.Properties["Name"].Value).Order());
        Assert.Equal("KubeBackup.Core.Restore.RestoreSummary", removed.Output[0].TypeNames[0]);
        Assert.Empty(Restores());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_user.DataDirectory, "repository", "restores"), "*", SearchOption.AllDirectories));
        // Only the history went: what the restores made stays.
        Assert.Contains("configmap/web-config", Kubectl.Run(_cluster!.KubeconfigPath, "get", "configmaps", "-n", "sync-1", "-o", "name"), StringComparison.Ordinal);
    }

    [Fact]
    public void WhatIfAndADeclinedConfirmationKeepTheRecord()
    {
        Session.Invoke("Remove-KbRestore sync-* -WhatIf").ThrowIfErrors();

        Assert.Equal(2, _host.Lines.Count(l => l.StartsWith("What if:", StringComparison.Ordinal) && l.Contains("Delete the record of the restore of backup 'webapp-1'", StringComparison.Ordinal)));
        _host.Answers.Enqueue("&No");
        Session.Invoke("Remove-KbRestore manual").ThrowIfErrors();
        Assert.Equal(["manual", "sync-1", "sync-2"], Restores());
    }

    [Fact]
    public void AMissingRestoreIsAnErrorAndAPatternMatchingNothingIsNot()
    {
        var result = Session.Invoke("Remove-KbRestore nope, sync-1, 'old-*' -Force");

        var error = result.SingleError();
        Assert.Equal("RestoreNotFound,KubeBackup.Commands.RemoveKbRestoreCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("nope", error.TargetObject);
        Assert.Equal(["manual", "sync-2"], Restores());
    }
}
