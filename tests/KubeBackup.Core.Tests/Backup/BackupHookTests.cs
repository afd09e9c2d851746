using System.Text.Json.Nodes;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Backup.Hooks;
using KubeBackup.Core.Tests.Backup.Hooks;
using KubeBackup.Core.Tests.Cluster.Exec;

namespace KubeBackup.Core.Tests.Backup;

/// <summary>Hooks inside a backup: pre hooks before the pod is read, a failing Fail hook leaves the pod out, post hooks always run.</summary>
public sealed class BackupHookTests : BackupTestKit
{
    private HookCalls _calls = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _calls = new HookCalls(Emulator);
        await TestPods.RunAsync(Emulator, TestPods.Pod("production", "mysql-0", ["mysql"], new JsonObject { ["app"] = "mysql" }));
        await TestPods.RunAsync(Emulator, TestPods.Pod("production", "web-0", ["web"], new JsonObject { ["app"] = "web" }));
    }

    private static BackupHookSpec Mysql(string pre, HookErrorMode onError = HookErrorMode.Fail) => new("mysql-backup-hook")
    {
        IncludedNamespaces = ["production"],
        LabelSelector = "app=mysql",
        Pre = [new ExecHook("mysql", pre.Split(' ')) { OnError = onError }],
        Post = [new ExecHook("mysql", ["ok", "unlock"]) { OnError = HookErrorMode.Continue }],
    };

    [Fact]
    public async Task PreAndPostHooksRunInTheMatchingPodsOnly()
    {
        var summary = await BackupAsync("hooked", new BackupSpec { IncludedNamespaces = ["production"], Hooks = [Mysql("ok flush")] });

        Assert.Equal(BackupPhase.Completed, summary.Phase);
        Assert.Equal(["production/mysql-0/mysql: ok flush", "production/mysql-0/mysql: ok unlock"], _calls.Lines);
        var items = await ItemsAsync("hooked");
        Assert.Contains("pods production/mysql-0", items);
        Assert.Contains("pods production/web-0", items);
        var log = BackupLogEntry.ParseLog(await Repo.ReadBackupLogAsync("hooked"));
        Assert.Contains(log, e => e.Target == "pod production/mysql-0" && e.Message.StartsWith("Ran pre hook 'mysql-backup-hook'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailedFailHookLeavesThePodOutMakesThePartialFailureAndStillRunsThePostHook()
    {
        var summary = await BackupAsync("failed-hook", new BackupSpec { IncludedNamespaces = ["production"], Hooks = [Mysql("fail 3 locked")] });

        Assert.Equal(BackupPhase.PartiallyFailed, summary.Phase);
        var error = Assert.Single(summary.Problems, p => p.Severity == BackupProblemSeverity.Error);
        Assert.Equal("v1 pods production/mysql-0", error.Target);
        Assert.Contains("pre hook 'mysql-backup-hook' failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("exited with code 3; stderr: locked", error.Message, StringComparison.Ordinal);
        var items = await ItemsAsync("failed-hook");
        Assert.DoesNotContain("pods production/mysql-0", items);
        Assert.Contains("pods production/web-0", items);
        Assert.Equal(summary.ItemsTotal - 1, summary.ItemsBackedUp);
        Assert.Contains("production/mysql-0/mysql: ok unlock", _calls.Lines);
    }

    [Fact]
    public async Task AFailedContinueHookIsAWarningAndThePodIsBackedUp()
    {
        var summary = await BackupAsync("continue", new BackupSpec { IncludedNamespaces = ["production"], Hooks = [Mysql("fail 1 busy", HookErrorMode.Continue)] });

        Assert.Equal(BackupPhase.Completed, summary.Phase);
        Assert.Contains(summary.Problems, p => p.Severity == BackupProblemSeverity.Warning && p.Target == "pod production/mysql-0");
        Assert.Contains("pods production/mysql-0", await ItemsAsync("continue"));
    }

    [Fact]
    public async Task PodAnnotationsAreHooksTooAndPreviewRunsNoHook()
    {
        var pod = Emulator.Cluster.Get("v1", "Pod", "production", "web-0")!;
        pod["metadata"]!["annotations"] = new JsonObject
        {
            ["pre.hook.backup.velero.io/command"] = """["ok","freeze"]""",
            ["post.hook.backup.velero.io/command"] = """["ok","thaw"]""",
        };
        Emulator.Cluster.Put(pod);

        await Runner().PreviewAsync(new BackupSpec { IncludedNamespaces = ["production"] }, Named("preview"), default);
        Assert.Empty(_calls.Lines);

        var summary = await BackupAsync("annotated", new BackupSpec { IncludedNamespaces = ["production"] });
        Assert.Equal(BackupPhase.Completed, summary.Phase);
        Assert.Equal(["production/web-0/web: ok freeze", "production/web-0/web: ok thaw"], _calls.Lines);
    }

    [Fact]
    public async Task AnInvalidHookIsAnErrorBeforeAnythingIsWritten()
    {
        var spec = new BackupSpec { Hooks = [new BackupHookSpec("empty") { Pre = [new ExecHook(null, [])] }] };

        var error = await Assert.ThrowsAsync<Errors.KbException>(() => BackupAsync("invalid-hook", spec));
        var preview = await Assert.ThrowsAsync<Errors.KbException>(() => Runner().PreviewAsync(spec, Named("p"), default));

        Assert.Equal(Errors.ErrorIds.BackupHookInvalid, error.ErrorId);
        Assert.Equal(Errors.ErrorIds.BackupHookInvalid, preview.ErrorId);
        Assert.Empty(await Repo.ListBackupsAsync());
        Assert.Empty(_calls.Lines);
    }

    [Fact]
    public async Task PostHooksRunWhenTheBackupFails()
    {
        Emulator.Faults.Add(KubeApiEmulator.Faults.FaultRule.Delay(TimeSpan.FromSeconds(5), "list", "secrets"));
        using var cancel = new CancellationTokenSource();
        var spec = new BackupSpec { IncludedNamespaces = ["production"], Hooks = [Mysql("ok flush")] };
        var run = Runner().RunAsync(Repo, spec, Named("cancelled"), cancel.Token);
        while (_calls.Lines.Count == 0)
        {
            await Task.Delay(10);
        }
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(["production/mysql-0/mysql: ok flush", "production/mysql-0/mysql: ok unlock"], _calls.Lines);
    }
}
