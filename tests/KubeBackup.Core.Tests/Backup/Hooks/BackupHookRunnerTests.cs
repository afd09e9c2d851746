using System.Text.Json.Nodes;
using KubeApiEmulator;
using KubeBackup.Core.Backup.Hooks;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Tests.Cluster.Discovery;
using KubeBackup.Core.Tests.Cluster.Exec;

namespace KubeBackup.Core.Tests.Backup.Hooks;

/// <summary>Pre and post backup hooks run in pods of the emulator through the real exec API.</summary>
public sealed class BackupHookRunnerTests : IAsyncLifetime
{
    private EmulatorServer emulator = null!;
    private HookCalls calls = null!;
    private readonly RecordingSink sink = new();

    public async Task InitializeAsync()
    {
        emulator = await EmulatorServer.StartAsync();
        calls = new HookCalls(emulator);
    }

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    [Fact]
    public async Task AnnotationHookWithAJsonArrayCommandRunsInTheNamedContainer()
    {
        var pod = await RunningPod("production", "mysql-0", ["sidecar", "mysql"], annotations: new JsonObject
        {
            ["pre.hook.backup.velero.io/container"] = "mysql",
            ["pre.hook.backup.velero.io/command"] = """["/bin/bash","-c","mysql -u root -p$MYSQL_ROOT_PASSWORD -e 'FLUSH TABLES WITH READ LOCK'"]""",
        });
        var runner = Runner();

        Assert.True(runner.HasHooks(pod, HookPhase.Pre));
        Assert.False(runner.HasHooks(pod, HookPhase.Post));
        var outcome = Assert.Single(await runner.RunAsync(pod, HookPhase.Pre, CancellationToken.None));

        Assert.Equal(["production/mysql-0/mysql: /bin/bash -c mysql -u root -p$MYSQL_ROOT_PASSWORD -e 'FLUSH TABLES WITH READ LOCK'"], calls.Lines);
        Assert.True(outcome.Succeeded);
        Assert.Null(outcome.Error);
        Assert.False(outcome.FailsPod);
        Assert.Equal(("production", "mysql-0", "mysql", HookPhase.Pre, "annotation", HookErrorMode.Fail),
            (outcome.Namespace, outcome.Pod, outcome.Container, outcome.Phase, outcome.HookName, outcome.OnError));
        Assert.Equal(["/bin/bash", "-c", "mysql -u root -p$MYSQL_ROOT_PASSWORD -e 'FLUSH TABLES WITH READ LOCK'"], outcome.Command);
        Assert.True(outcome.Elapsed > TimeSpan.Zero);

        // The command is shown as typed: the variable is not expanded.
        Assert.Contains("Running pre hook 'annotation' in production/mysql-0 (container mysql): /bin/bash -c 'mysql -u root -p$MYSQL_ROOT_PASSWORD -e 'FLUSH TABLES WITH READ LOCK''",
            sink.VerboseMessages);
        Assert.Empty(sink.Warnings);
    }

    [Fact]
    public async Task AnnotationHookWithAPlainStringCommandIsOneArgumentInTheFirstContainer()
    {
        var pod = await RunningPod("web", "nginx-0", ["nginx", "exporter"], annotations: new JsonObject
        {
            ["post.hook.backup.velero.io/command"] = "/usr/local/bin/unfreeze all",
            ["post.hook.backup.velero.io/on-error"] = "Continue",
            ["post.hook.backup.velero.io/timeout"] = "1m",
        });

        var outcome = Assert.Single(await Runner().RunAsync(pod, HookPhase.Post, CancellationToken.None));

        Assert.Equal(["/usr/local/bin/unfreeze all"], outcome.Command);
        Assert.Equal("nginx", outcome.Container);
        Assert.Equal(HookErrorMode.Continue, outcome.OnError);
        Assert.Equal(HookPhase.Post, outcome.Phase);
        Assert.Equal(["web/nginx-0/nginx: /usr/local/bin/unfreeze all"], calls.Lines);
    }

    [Fact]
    public async Task TheOldUnphasedAnnotationsArePreHooks()
    {
        var pod = await RunningPod("web", "legacy-0", ["app"], annotations: new JsonObject { ["hook.backup.velero.io/command"] = """["sync"]""" });
        var runner = Runner();

        Assert.True(runner.HasHooks(pod, HookPhase.Pre));
        Assert.False(runner.HasHooks(pod, HookPhase.Post));
        Assert.Equal("annotation", Assert.Single(await runner.RunAsync(pod, HookPhase.Pre, CancellationToken.None)).HookName);
        Assert.Empty(await runner.RunAsync(pod, HookPhase.Post, CancellationToken.None));
        Assert.Equal(["web/legacy-0/app: sync"], calls.Lines);
    }

    [Fact]
    public async Task UnusableAnnotationValuesAreWarnedAboutAndDefaulted()
    {
        var pod = await RunningPod("web", "odd-0", ["app"], annotations: new JsonObject
        {
            ["pre.hook.backup.velero.io/command"] = """["ok"]""",
            ["pre.hook.backup.velero.io/on-error"] = "Ignore",
            ["pre.hook.backup.velero.io/timeout"] = "300",
        });

        var outcome = Assert.Single(await Runner().RunAsync(pod, HookPhase.Pre, CancellationToken.None));

        Assert.True(outcome.Succeeded);
        Assert.Equal(HookErrorMode.Fail, outcome.OnError);
        Assert.Equal(2, sink.Warnings.Count);
        Assert.Contains(sink.Warnings, w => w.Contains("web/odd-0", StringComparison.Ordinal) && w.Contains("on-error is 'Ignore'", StringComparison.Ordinal));
        Assert.Contains(sink.Warnings, w => w.Contains("timeout is '300'", StringComparison.Ordinal) && w.Contains("using 30s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SpecHooksApplyByNamespacePatternExclusionAndLabelSelector()
    {
        var runner = Runner(new BackupHookSpec("databases")
        {
            IncludedNamespaces = ["prod-*", "stag?"],
            ExcludedNamespaces = ["prod-legacy"],
            LabelSelector = "app in (mysql,postgres),tier!=cache",
            Pre = [new ExecHook(null, ["ok"])],
        });
        JsonObject Pod(string ns, string app, string? tier = null)
        {
            var labels = new JsonObject { ["app"] = app };
            if (tier is not null)
            {
                labels["tier"] = tier;
            }

            return TestPods.Pod(ns, "p", ["c"], labels);
        }

        Assert.True(runner.HasHooks(Pod("prod-eu", "mysql"), HookPhase.Pre));
        Assert.True(runner.HasHooks(Pod("stage", "postgres", "db"), HookPhase.Pre));
        Assert.False(runner.HasHooks(Pod("prod-eu", "mysql"), HookPhase.Post));
        Assert.False(runner.HasHooks(Pod("prod-legacy", "mysql"), HookPhase.Pre));
        Assert.False(runner.HasHooks(Pod("staging", "mysql"), HookPhase.Pre));
        Assert.False(runner.HasHooks(Pod("dev", "mysql"), HookPhase.Pre));
        Assert.False(runner.HasHooks(Pod("prod-eu", "redis"), HookPhase.Pre));
        Assert.False(runner.HasHooks(Pod("prod-eu", "mysql", "cache"), HookPhase.Pre));

        var matching = await RunningPod("prod-eu", "mysql-0", ["mysql"], new JsonObject { ["app"] = "mysql" });
        var other = await RunningPod("prod-eu", "redis-0", ["redis"], new JsonObject { ["app"] = "redis" });
        Assert.Equal("databases", Assert.Single(await runner.RunAsync(matching, HookPhase.Pre, CancellationToken.None)).HookName);
        Assert.Empty(await runner.RunAsync(other, HookPhase.Pre, CancellationToken.None));
        Assert.Equal(["prod-eu/mysql-0/mysql: ok"], calls.Lines);
    }

    [Fact]
    public void EmptyIncludedNamespacesAndNoSelectorMeanEveryPod()
    {
        var runner = Runner(new BackupHookSpec("everywhere") { Post = [new ExecHook(null, ["ok"])] });

        Assert.True(runner.HasHooks(TestPods.Pod("kube-system", "a", ["c"]), HookPhase.Post));
        Assert.True(runner.HasHooks(TestPods.Pod("default", "b", ["c"], new JsonObject { ["x"] = "y" }), HookPhase.Post));
        Assert.False(runner.HasHooks(TestPods.Pod("default", "b", ["c"]), HookPhase.Pre));
    }

    [Fact]
    public async Task SeveralMatchingSpecsRunInOrderAndTheContainerDefaultsToTheFirst()
    {
        var pod = await RunningPod("shop", "orders-0", ["app", "db"], new JsonObject { ["app"] = "orders" });
        var runner = Runner(
            new BackupHookSpec("first") { Pre = [new ExecHook(null, ["one"]), new ExecHook("db", ["two"])] },
            new BackupHookSpec("elsewhere") { IncludedNamespaces = ["other"], Pre = [new ExecHook(null, ["never"])] },
            new BackupHookSpec("second") { LabelSelector = "app=orders", Pre = [new ExecHook(null, ["three"])] });

        var outcomes = await runner.RunAsync(pod, HookPhase.Pre, CancellationToken.None);

        Assert.Equal(["shop/orders-0/app: one", "shop/orders-0/db: two", "shop/orders-0/app: three"], calls.Lines);
        Assert.Equal(["first", "first", "second"], outcomes.Select(o => o.HookName));
        Assert.Equal(["app", "db", "app"], outcomes.Select(o => o.Container));
        Assert.All(outcomes, o => Assert.True(o.Succeeded));
    }

    [Fact]
    public async Task PodAnnotationsBeatSpecsForTheirPhaseOnly()
    {
        var pod = await RunningPod("shop", "cart-0", ["app"], annotations: new JsonObject { ["pre.hook.backup.velero.io/command"] = """["from-annotation"]""" });
        var runner = Runner(new BackupHookSpec("spec") { Pre = [new ExecHook(null, ["spec-pre"])], Post = [new ExecHook(null, ["spec-post"])] });

        var pre = await runner.RunAsync(pod, HookPhase.Pre, CancellationToken.None);
        var post = await runner.RunAsync(pod, HookPhase.Post, CancellationToken.None);

        Assert.Equal("annotation", Assert.Single(pre).HookName);
        Assert.Equal("spec", Assert.Single(post).HookName);
        Assert.Equal(["shop/cart-0/app: from-annotation", "shop/cart-0/app: spec-post"], calls.Lines);
    }

    [Fact]
    public async Task ANamedContainerThePodDoesNotHaveFailsWithoutRunningAnything()
    {
        var pod = await RunningPod("shop", "cart-0", ["app", "proxy"]);
        var runner = Runner(new BackupHookSpec("quiesce") { Pre = [new ExecHook("mysql", ["ok"])] });

        var outcome = Assert.Single(await runner.RunAsync(pod, HookPhase.Pre, CancellationToken.None));

        Assert.False(outcome.Succeeded);
        Assert.True(outcome.FailsPod);
        Assert.Equal("mysql", outcome.Container);
        Assert.Equal("the pod has no container 'mysql' (its containers: app, proxy)", outcome.Error);
        Assert.Empty(calls.All);
    }

    [Fact]
    public async Task ANonZeroExitInFailModeStopsThePodsOtherHooksAndFailsThePod()
    {
        var pod = await RunningPod("shop", "db-0", ["db"]);
        var longLine = new string('x', 500);
        var runner = Runner(new BackupHookSpec("freeze")
        {
            Pre =
            [
                new ExecHook(null, ["fail", "3", $"starting\n  line 1  \nline 2\n\nline 3\nline 4\n{longLine}\nlast words \n"]),
                new ExecHook(null, ["never"]),
            ],
        });

        var outcome = Assert.Single(await runner.RunAsync(pod, HookPhase.Pre, CancellationToken.None));

        Assert.False(outcome.Succeeded);
        Assert.True(outcome.FailsPod);
        Assert.Equal($"exited with code 3; stderr: line 2 | line 3 | line 4 | {new string('x', 200)}... | last words", outcome.Error);
        Assert.Equal(["fail", "3"], Assert.Single(calls.All).Command.Take(2));
        Assert.Contains(sink.VerboseMessages, m => m.Contains("Not running the other 1 pre hook(s) of shop/db-0", StringComparison.Ordinal));
        Assert.Empty(sink.Warnings);
    }

    [Fact]
    public async Task ANonZeroExitInContinueModeGoesOnWithTheNextHook()
    {
        var pod = await RunningPod("shop", "db-0", ["db"]);
        var runner = Runner(new BackupHookSpec("flush")
        {
            Pre = [new ExecHook(null, ["fail", "1"]) { OnError = HookErrorMode.Continue }, new ExecHook(null, ["ok"])],
        });

        var outcomes = await runner.RunAsync(pod, HookPhase.Pre, CancellationToken.None);

        Assert.Equal(2, outcomes.Count);
        Assert.False(outcomes[0].Succeeded);
        Assert.False(outcomes[0].FailsPod);
        Assert.Equal("exited with code 1", outcomes[0].Error);
        Assert.True(outcomes[1].Succeeded);
    }

    [Fact]
    public async Task AFailingPostHookNeverFailsThePod()
    {
        var pod = await RunningPod("shop", "db-0", ["db"]);
        var runner = Runner(new BackupHookSpec("unfreeze") { Post = [new ExecHook(null, ["fail", "2"])] });

        var outcome = Assert.Single(await runner.RunAsync(pod, HookPhase.Post, CancellationToken.None));

        Assert.False(outcome.Succeeded);
        Assert.Equal(HookErrorMode.Fail, outcome.OnError);
        Assert.False(outcome.FailsPod);
    }

    [Fact]
    public async Task AHookThatOutlivesItsTimeoutFails()
    {
        var pod = await RunningPod("shop", "db-0", ["db"]);
        var runner = Runner(new BackupHookSpec("slow") { Pre = [new ExecHook(null, ["hang"]) { Timeout = TimeSpan.FromMilliseconds(500) }] });

        var outcome = Assert.Single(await runner.RunAsync(pod, HookPhase.Pre, CancellationToken.None));

        Assert.False(outcome.Succeeded);
        Assert.True(outcome.FailsPod);
        Assert.Equal("timed out after 500ms", outcome.Error);
        Assert.InRange(outcome.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(10));
        await calls.HangEnded.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task APodThatIsNotRunningFailsItsHooksWithoutExec()
    {
        emulator.Controllers.Workloads = false;
        var pod = TestPods.Create(emulator, TestPods.Pod("shop", "new-0", ["app"], annotations: new JsonObject { ["pre.hook.backup.velero.io/command"] = "ok" }));
        var runner = Runner();

        var outcome = Assert.Single(await runner.RunAsync(pod, HookPhase.Pre, CancellationToken.None));

        Assert.Equal("Pending", pod["status"]?["phase"]?.GetValue<string>());
        Assert.False(outcome.Succeeded);
        Assert.True(outcome.FailsPod);
        Assert.Equal("pod is Pending, hooks need a running pod", outcome.Error);
        Assert.Empty(calls.All);
    }

    [Theory]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    public async Task AFinishedPodIsSkippedAsVeleroSkipsIt(string phase)
    {
        var pod = TestPods.Pod("shop", "job-0", ["app"], annotations: new JsonObject { ["pre.hook.backup.velero.io/command"] = "ok" });
        pod["status"] = new JsonObject { ["phase"] = phase };
        var runner = Runner();

        Assert.True(runner.HasHooks(pod, HookPhase.Pre));
        Assert.Empty(await runner.RunAsync(pod, HookPhase.Pre, CancellationToken.None));
        Assert.Contains($"Skipping 1 pre hook(s) of shop/job-0: the pod has finished ({phase}).", sink.VerboseMessages);
        Assert.Empty(calls.All);
    }

    [Fact]
    public async Task AnEmptyCommandAnnotationListFails()
    {
        var pod = await RunningPod("shop", "db-0", ["db"], annotations: new JsonObject { ["pre.hook.backup.velero.io/command"] = "[]" });

        var outcome = Assert.Single(await Runner().RunAsync(pod, HookPhase.Pre, CancellationToken.None));

        Assert.Equal("the hook has no command", outcome.Error);
        Assert.Empty(calls.All);
    }

    [Fact]
    public async Task ACommandTheContainerCannotStartFailsWithTheServersReason()
    {
        var pod = await RunningPod("shop", "db-0", ["db"]);
        emulator.Exec.Clear();
        var runner = Runner(new BackupHookSpec("missing") { Pre = [new ExecHook(null, ["/opt/tool"]) { OnError = HookErrorMode.Continue }] });

        var outcome = Assert.Single(await runner.RunAsync(pod, HookPhase.Pre, CancellationToken.None));

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("Could not run '/opt/tool' in shop/db-0 (container db):", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("executable file not found", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellationStopsARunningHookAndThrows()
    {
        var pod = await RunningPod("shop", "db-0", ["db"]);
        var runner = Runner(new BackupHookSpec("slow") { Pre = [new ExecHook(null, ["hang"]), new ExecHook(null, ["never"])] });
        using var cancellation = new CancellationTokenSource();

        var running = runner.RunAsync(pod, HookPhase.Pre, cancellation.Token);
        await calls.HangStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        await calls.HangEnded.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(calls.All);
    }

    [Fact]
    public void InvalidSpecsAreRefusedWithTheirErrorIds()
    {
        var client = ClusterTestKit.Connect(emulator);
        KbException Refused(BackupHookSpec spec) => Assert.Throws<KbException>(() => new BackupHookRunner(client, [spec], sink));

        var selector = Refused(new BackupHookSpec("db") { LabelSelector = "app in mysql", Pre = [new ExecHook(null, ["ok"])] });
        Assert.Equal(ErrorIds.LabelSelectorInvalid, selector.ErrorId);
        Assert.Equal("app in mysql", selector.Target);
        Assert.StartsWith("Backup hook 'db': The label selector 'app in mysql' is not valid", selector.Message, StringComparison.Ordinal);

        var noCommand = Refused(new BackupHookSpec("db") { Post = [new ExecHook(null, [])] });
        Assert.Equal(ErrorIds.BackupHookInvalid, noCommand.ErrorId);
        Assert.Equal("db", noCommand.Target);
        Assert.Contains("post hook without a command", noCommand.Message, StringComparison.Ordinal);

        Assert.Equal(ErrorIds.BackupHookInvalid, Refused(new BackupHookSpec(" ") { Pre = [new ExecHook(null, ["ok"])] }).ErrorId);
        Assert.Equal(ErrorIds.BackupHookInvalid, Refused(new BackupHookSpec("db") { Pre = [new ExecHook(null, ["ok"]) { Timeout = TimeSpan.FromSeconds(-1) }] }).ErrorId);
    }

    private BackupHookRunner Runner(params BackupHookSpec[] specs) => new(ClusterTestKit.Connect(emulator), specs, sink);

    private Task<JsonObject> RunningPod(string ns, string name, string[] containers, JsonObject? labels = null, JsonObject? annotations = null) =>
        TestPods.RunAsync(emulator, TestPods.Pod(ns, name, containers, labels, annotations));
}
