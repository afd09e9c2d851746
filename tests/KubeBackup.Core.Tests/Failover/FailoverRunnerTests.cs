using System.Text.Json.Nodes;
using KubeApiEmulator;
using KubeBackup.Core.Cluster;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Failover;
using KubeBackup.Core.Tests.Cluster.Discovery;
using KubeBackup.Core.Tests.Cluster.Listing;

namespace KubeBackup.Core.Tests.Failover;

/// <summary>FailoverRunner between two in-process emulators, "primary" and "dr": steps, plan, checks, resume, fence, tiers.</summary>
public sealed class FailoverRunnerTests : IAsyncLifetime
{
    private const string Annotation = "original-replicas";

    /// <summary>The DR side on standby: web (3) and db (2) at 0 with their counts recorded.</summary>
    private const string DrWorkloads = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: prod}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: prod, annotations: {original-replicas: "3"}}
        spec:
          replicas: 0
          selector: {matchLabels: {app: web}}
          template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: prod, annotations: {original-replicas: "2"}}
        spec:
          replicas: 0
          serviceName: db
          selector: {matchLabels: {app: db}}
          template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: postgres}]}}
        """;

    /// <summary>The primary, serving: web at 3, db at 2.</summary>
    private const string PrimaryWorkloads = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: prod}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: prod}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}
        ---
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: prod}
        spec:
          replicas: 2
          serviceName: db
          selector: {matchLabels: {app: db}}
          template: {metadata: {labels: {app: db}}, spec: {containers: [{name: db, image: postgres}]}}
        """;

    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static readonly FailoverStepName[] Order = Enum.GetValues<FailoverStepName>();

    private EmulatorServer _primary = null!;
    private EmulatorServer _dr = null!;

    private RecordingSink Sink { get; } = new();

    public async Task InitializeAsync()
    {
        _primary = await EmulatorServer.StartAsync();
        _dr = await EmulatorServer.StartAsync();
        _primary.Cluster.LoadYaml(PrimaryWorkloads);
        _dr.Cluster.LoadYaml(DrWorkloads);
    }

    public async Task DisposeAsync()
    {
        await _dr.DisposeAsync();
        await _primary.DisposeAsync();
    }

    private static ClusterConnection Connect(EmulatorServer emulator) => ClusterTestKit.Open(emulator.KubeconfigYaml);

    private FailoverOptions Options() => new()
    {
        OpenDr = () => Connect(_dr),
        DrContext = "dr",
        PrimaryContext = "primary",
        Namespaces = ["prod"],
        Timeout = TimeSpan.FromSeconds(4),
        ProbeTimeout = TimeSpan.FromSeconds(2),
    };

    private Task<FailoverReport> RunAsync(FailoverOptions options, CancellationToken cancellationToken = default) =>
        new FailoverRunner(options, Sink).RunAsync(cancellationToken);

    private static (int? Replicas, string? Annotation) Read(EmulatorServer cluster, string kind, string name)
    {
        var item = cluster.Cluster.Get("apps/v1", kind, "prod", name)!;
        return ((int?)item["spec"]?["replicas"], (string?)item["metadata"]?["annotations"]?[Annotation]);
    }

    /// <summary>The DR side exactly as it was loaded: nothing scaled, nothing unrecorded.</summary>
    private void AssertDrUnchanged()
    {
        Assert.Equal((0, "3"), Read(_dr, "Deployment", "web"));
        Assert.Equal((0, "2"), Read(_dr, "StatefulSet", "db"));
    }

    private static void AssertSucceeded(FailoverReport report) =>
        Assert.True(report.Succeeded, string.Join(" | ", report.Steps.Select(s => $"{s}: {s.Message}")));

    private static FailoverStep Step(FailoverReport report, FailoverStepName name) => Assert.Single(report.Steps, s => s.Name == name);

    private static void AssertStatuses(FailoverReport report, params FailoverStepStatus[] statuses)
    {
        Assert.Equal(Order, report.Steps.Select(s => s.Name));
        Assert.Equal(statuses, report.Steps.Select(s => s.Status));
    }

    private static WorkloadScale Workload(FailoverReport report, string name) => Assert.Single(report.Workloads, w => w.Name == name);

    /// <summary>Marks the DR namespace as Sync-KbStandby does, with data of that time.</summary>
    private void MarkDr(DateTimeOffset dataTime, string backup = "nightly-1")
    {
        var ns = _dr.Cluster.Get("v1", "Namespace", null, "prod")!;
        var annotations = StandbyMarks.Patch(backup, dataTime)["metadata"]!["annotations"]!.AsObject();
        var metadata = ns["metadata"]!.AsObject();
        var existing = metadata["annotations"] as JsonObject ?? [];
        foreach (var (key, value) in annotations)
        {
            existing[key] = value?.DeepClone();
        }
        metadata["annotations"] = existing.DeepClone();
        _dr.Cluster.Put(ns);
    }

    private static async Task<string> StoppedKubeconfigAsync()
    {
        var stopped = await EmulatorServer.StartAsync();
        var kubeconfig = stopped.KubeconfigYaml;
        await stopped.DisposeAsync();
        return kubeconfig;
    }

    [Fact]
    public async Task A_full_run_scales_every_recorded_workload_back_removes_the_annotation_and_verifies()
    {
        var report = await RunAsync(Options());

        AssertStatuses(report,
            FailoverStepStatus.Succeeded, FailoverStepStatus.Succeeded, FailoverStepStatus.Skipped, FailoverStepStatus.Skipped,
            FailoverStepStatus.Succeeded, FailoverStepStatus.Skipped, FailoverStepStatus.Succeeded);
        AssertSucceeded(report);
        Assert.False(report.WhatIf);
        Assert.Null(report.FailedStep);
        Assert.Null(report.Resume);
        Assert.NotNull(report.Rto);
        Assert.True(report.Rto > TimeSpan.Zero);
        Assert.Null(report.Rpo);
        Assert.Empty(report.NotReady);
        Assert.Equal((3, (string?)null), Read(_dr, "Deployment", "web"));
        Assert.Equal((2, (string?)null), Read(_dr, "StatefulSet", "db"));
        var web = Workload(report, "web");
        Assert.Equal((ScaleAction.ScaleUp, 0, 3, Annotation, true, "3/3"), (web.Action, web.CurrentReplicas, web.TargetReplicas, web.Source, web.Ready, web.Readiness));
        var db = Workload(report, "db");
        Assert.Equal(("StatefulSet", ScaleAction.ScaleUp, 2, true), (db.Kind, db.Action, db.TargetReplicas, db.Ready));
        // The namespace is promoted first (syncs leave it alone from then on), then the two workloads scaled.
        Assert.Equal(3, report.Changes.Count);
        Assert.StartsWith("DR 'dr': namespace(s) prod marked kubebackup.io/promoted", report.Changes[0], StringComparison.Ordinal);
        Assert.Contains(report.Changes, c => c.Contains("Deployment prod/web scaled from 0 to 3", StringComparison.Ordinal));
        Assert.NotNull(_dr.Cluster.Get("v1", "Namespace", null, "prod")!["metadata"]!["annotations"]![StandbyMarks.PromotedAnnotation]);
        Assert.All(report.Steps.Where(s => s.Status != FailoverStepStatus.Skipped), s => Assert.NotNull(s.Duration));
        // The primary is not touched without -FencePrimary.
        Assert.Equal((3, (string?)null), Read(_primary, "Deployment", "web"));
    }

    [Fact]
    public async Task The_user_steps_run_in_order_between_fence_scale_up_and_verify()
    {
        var ran = new List<string>();
        var options = Options() with
        {
            OpenPrimary = () => Connect(_primary),
            FencePrimary = true,
            ReplicationCheck = _ =>
            {
                ran.Add($"check primary={Read(_primary, "Deployment", "web").Replicas}");
                return Task.FromResult<TimeSpan?>(TimeSpan.FromMinutes(3));
            },
            PromoteStorage = async token =>
            {
                await Task.Yield();
                ran.Add($"promote primary={Read(_primary, "Deployment", "web").Replicas} dr={Read(_dr, "Deployment", "web").Replicas}");
            },
            UpdateTraffic = token =>
            {
                ran.Add($"traffic dr={Read(_dr, "Deployment", "web").Replicas}");
                return Task.CompletedTask;
            },
        };

        var report = await RunAsync(options);

        AssertSucceeded(report);
        Assert.All(report.Steps, s => Assert.Equal(FailoverStepStatus.Succeeded, s.Status));
        Assert.Equal(["check primary=3", "promote primary=0 dr=0", "traffic dr=3"], ran);
        Assert.Equal(TimeSpan.FromMinutes(3), report.Rpo);
        Assert.Equal(["Ran the -PromoteStorage script block.", "Ran the -UpdateTraffic script block."],
            report.Changes.Where(c => c.StartsWith("Ran ", StringComparison.Ordinal)));
        var order = report.Changes.Select(c => c.StartsWith("Primary", StringComparison.Ordinal) ? "fence" : c.StartsWith("DR", StringComparison.Ordinal) ? "scale" : c).Distinct().ToList();
        Assert.Equal(["fence", "Ran the -PromoteStorage script block.", "scale", "Ran the -UpdateTraffic script block."], order);
    }

    [Fact]
    public async Task A_plan_changes_nothing_and_lists_the_target_replicas()
    {
        var ran = false;
        var options = Options() with
        {
            OpenPrimary = () => Connect(_primary),
            FencePrimary = true,
            PromoteStorage = _ => { ran = true; return Task.CompletedTask; },
            UpdateTraffic = _ => { ran = true; return Task.CompletedTask; },
        };

        var report = await new FailoverRunner(options, Sink).PlanAsync(default);

        Assert.True(report.WhatIf);
        Assert.False(report.Succeeded);
        Assert.Null(report.Resume);
        AssertStatuses(report,
            FailoverStepStatus.Succeeded, FailoverStepStatus.Succeeded, FailoverStepStatus.Planned, FailoverStepStatus.Planned,
            FailoverStepStatus.Planned, FailoverStepStatus.Planned, FailoverStepStatus.Planned);
        Assert.False(ran);
        Assert.Empty(report.Changes);
        Assert.Null(report.Rto);
        Assert.Equal((ScaleAction.ScaleUp, 3), (Workload(report, "web").Action, Workload(report, "web").TargetReplicas));
        Assert.Equal((ScaleAction.ScaleUp, 2), (Workload(report, "db").Action, Workload(report, "db").TargetReplicas));
        Assert.Contains("prod/web 0 -> 3", Step(report, FailoverStepName.ScaleUp).Message);
        Assert.Contains("2 workload(s)", Step(report, FailoverStepName.FencePrimary).Message);
        AssertDrUnchanged();
        Assert.Equal((3, (string?)null), Read(_primary, "Deployment", "web"));
        Assert.Equal((2, (string?)null), Read(_primary, "StatefulSet", "db"));
    }

    [Fact]
    public async Task A_workload_at_zero_without_the_annotation_is_skipped_with_a_warning()
    {
        _dr.Cluster.LoadYaml("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: idle, namespace: prod}
            spec:
              replicas: 0
              selector: {matchLabels: {app: idle}}
              template: {metadata: {labels: {app: idle}}, spec: {containers: [{name: idle, image: nginx}]}}
            """);

        var report = await RunAsync(Options());

        AssertSucceeded(report);
        var idle = Workload(report, "idle");
        Assert.Equal((ScaleAction.Skipped, (int?)null, (bool?)null), (idle.Action, idle.TargetReplicas, idle.Ready));
        Assert.Contains(Sink.Warnings, w => w.Contains("prod/idle", StringComparison.Ordinal) && w.Contains("-DefaultReplicas", StringComparison.Ordinal));
        Assert.Equal((0, (string?)null), Read(_dr, "Deployment", "idle"));
        Assert.Equal((3, (string?)null), Read(_dr, "Deployment", "web"));
    }

    [Fact]
    public async Task DefaultReplicas_scales_a_workload_at_zero_without_the_annotation()
    {
        _dr.Cluster.LoadYaml("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: idle, namespace: prod}
            spec:
              replicas: 0
              selector: {matchLabels: {app: idle}}
              template: {metadata: {labels: {app: idle}}, spec: {containers: [{name: idle, image: nginx}]}}
            """);

        var report = await RunAsync(Options() with { DefaultReplicas = 2 });

        AssertSucceeded(report);
        var idle = Workload(report, "idle");
        Assert.Equal((ScaleAction.ScaleUp, 2, "-DefaultReplicas", true), (idle.Action, idle.TargetReplicas, idle.Source, idle.Ready));
        Assert.Equal((2, (string?)null), Read(_dr, "Deployment", "idle"));
        Assert.DoesNotContain(Sink.Warnings, w => w.Contains("prod/idle", StringComparison.Ordinal));
        // A recorded count wins over -DefaultReplicas.
        Assert.Equal((3, (string?)null), Read(_dr, "Deployment", "web"));
    }

    [Fact]
    public async Task A_running_workload_without_the_annotation_is_left_running_and_verified()
    {
        _dr.Cluster.LoadYaml("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: prod}
            spec:
              replicas: 2
              selector: {matchLabels: {app: api}}
              template: {metadata: {labels: {app: api}}, spec: {containers: [{name: api, image: nginx}]}}
            """);

        var report = await RunAsync(Options());

        AssertSucceeded(report);
        var api = Workload(report, "api");
        Assert.Equal((ScaleAction.Running, 2, 2, "spec.replicas", true), (api.Action, api.CurrentReplicas, api.TargetReplicas, api.Source, api.Ready));
        Assert.DoesNotContain(report.Changes, c => c.Contains("prod/api", StringComparison.Ordinal));
        Assert.Equal((2, (string?)null), Read(_dr, "Deployment", "api"));
    }

    [Fact]
    public async Task A_non_numeric_annotation_fails_the_DR_check_and_changes_nothing()
    {
        _dr.Cluster.LoadYaml("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: broken, namespace: prod, annotations: {original-replicas: three}}
            spec:
              replicas: 0
              selector: {matchLabels: {app: broken}}
              template: {metadata: {labels: {app: broken}}, spec: {containers: [{name: broken, image: nginx}]}}
            """);
        var ran = false;

        var report = await RunAsync(Options() with { PromoteStorage = _ => { ran = true; return Task.CompletedTask; } });

        AssertStatuses(report, FailoverStepStatus.Failed, FailoverStepStatus.NotRun, FailoverStepStatus.NotRun, FailoverStepStatus.NotRun,
            FailoverStepStatus.NotRun, FailoverStepStatus.NotRun, FailoverStepStatus.NotRun);
        var check = Step(report, FailoverStepName.CheckDrCluster);
        Assert.Equal(ErrorIds.StandbyAnnotationInvalid, check.ErrorId);
        Assert.Contains("'three'", check.Message);
        Assert.Contains("prod/broken", check.Message);
        Assert.False(ran);
        Assert.False(report.Succeeded);
        Assert.Empty(report.Changes);
        Assert.Contains("Nothing was changed", report.Resume);
        AssertDrUnchanged();
        Assert.Equal((0, "three"), Read(_dr, "Deployment", "broken"));
    }

    [Fact]
    public async Task An_unreachable_DR_cluster_fails_the_first_step_and_changes_nothing()
    {
        var kubeconfig = await StoppedKubeconfigAsync();

        var report = await RunAsync(Options() with
        {
            OpenDr = () => ClusterTestKit.Open(kubeconfig),
            OpenPrimary = () => Connect(_primary),
            FencePrimary = true,
        });

        AssertStatuses(report, FailoverStepStatus.Failed, FailoverStepStatus.NotRun, FailoverStepStatus.NotRun, FailoverStepStatus.NotRun,
            FailoverStepStatus.NotRun, FailoverStepStatus.NotRun, FailoverStepStatus.NotRun);
        Assert.Equal(ErrorIds.ClusterUnreachable, Step(report, FailoverStepName.CheckDrCluster).ErrorId);
        Assert.Equal(FailoverStepName.CheckDrCluster, report.FailedStep?.Name);
        Assert.Empty(report.Changes);
        Assert.Contains("Nothing was changed", report.Resume);
        Assert.Empty(report.Workloads);
        Assert.Equal((3, (string?)null), Read(_primary, "Deployment", "web"));
    }

    [Fact]
    public async Task A_DR_context_that_cannot_be_opened_fails_the_first_step_and_changes_nothing()
    {
        var report = await RunAsync(Options() with
        {
            OpenDr = () => throw new KbException(ErrorIds.ClusterUnreachable, KbErrorCategory.ObjectNotFound, "dr", "Context 'dr' is not in the kubeconfig."),
        });

        var check = Step(report, FailoverStepName.CheckDrCluster);
        Assert.Equal((FailoverStepStatus.Failed, ErrorIds.ClusterUnreachable), (check.Status, check.ErrorId));
        Assert.Contains("Context 'dr'", check.Message);
        Assert.All(report.Steps.Skip(1), s => Assert.Equal(FailoverStepStatus.NotRun, s.Status));
        Assert.Contains("Nothing was changed", report.Resume);
        AssertDrUnchanged();
    }

    [Fact]
    public async Task Standby_data_older_than_MaxDataLoss_fails_the_replication_check_and_changes_nothing()
    {
        MarkDr(Now - TimeSpan.FromHours(2));

        var report = await RunAsync(Options() with { MaxDataLoss = TimeSpan.FromHours(1), Clock = () => Now });

        var check = Step(report, FailoverStepName.CheckReplication);
        Assert.Equal((FailoverStepStatus.Failed, ErrorIds.DataLossExceeded), (check.Status, check.ErrorId));
        Assert.Contains("2h old", check.Message);
        Assert.Equal(FailoverStepStatus.Succeeded, Step(report, FailoverStepName.CheckDrCluster).Status);
        Assert.All(report.Steps.Skip(2), s => Assert.Equal(FailoverStepStatus.NotRun, s.Status));
        Assert.Equal(TimeSpan.FromHours(2), report.Rpo);
        Assert.Equal("nightly-1", report.StandbyBackup);
        Assert.Empty(report.Changes);
        Assert.Contains("Nothing was changed", report.Resume);
        AssertDrUnchanged();
    }

    [Fact]
    public async Task Standby_data_within_MaxDataLoss_passes_and_gives_the_RPO()
    {
        MarkDr(Now - TimeSpan.FromMinutes(30), "nightly-7");

        var report = await RunAsync(Options() with { MaxDataLoss = TimeSpan.FromHours(1), Clock = () => Now });

        AssertSucceeded(report);
        Assert.Equal(FailoverStepStatus.Succeeded, Step(report, FailoverStepName.CheckReplication).Status);
        Assert.Equal(TimeSpan.FromMinutes(30), report.Rpo);
        Assert.Equal("nightly-7", report.StandbyBackup);
        Assert.Equal(TimeSpan.Zero, report.Rto);
        Assert.Equal((3, (string?)null), Read(_dr, "Deployment", "web"));
    }

    [Fact]
    public async Task An_unmarked_namespace_with_MaxDataLoss_fails_the_replication_check()
    {
        var report = await RunAsync(Options() with { MaxDataLoss = TimeSpan.FromHours(1) });

        var check = Step(report, FailoverStepName.CheckReplication);
        Assert.Equal((FailoverStepStatus.Failed, ErrorIds.DataLossExceeded), (check.Status, check.ErrorId));
        Assert.Contains("unknown", check.Message);
        Assert.Contains(StandbyMarks.DataTimeAnnotation, check.Message);
        Assert.Null(report.Rpo);
        AssertDrUnchanged();
    }

    [Fact]
    public async Task A_ReplicationCheck_delegate_gives_the_RPO_and_is_held_to_MaxDataLoss()
    {
        var passed = await RunAsync(Options() with { ReplicationCheck = _ => Task.FromResult<TimeSpan?>(TimeSpan.FromMinutes(5)), MaxDataLoss = TimeSpan.FromMinutes(10) });
        Assert.True(passed.Succeeded, string.Join(" | ", passed.Steps.Select(s => $"{s}: {s.Message}")));
        Assert.Equal(TimeSpan.FromMinutes(5), passed.Rpo);
        Assert.Null(passed.StandbyBackup);
        Assert.Contains("-ReplicationCheck", Step(passed, FailoverStepName.CheckReplication).Message);
    }

    [Fact]
    public async Task A_ReplicationCheck_delegate_over_MaxDataLoss_or_throwing_fails_the_step()
    {
        var late = await RunAsync(Options() with { ReplicationCheck = _ => Task.FromResult<TimeSpan?>(TimeSpan.FromMinutes(20)), MaxDataLoss = TimeSpan.FromMinutes(10) });
        Assert.Equal((FailoverStepStatus.Failed, ErrorIds.DataLossExceeded), (Step(late, FailoverStepName.CheckReplication).Status, Step(late, FailoverStepName.CheckReplication).ErrorId));

        var thrown = await RunAsync(Options() with { ReplicationCheck = _ => throw new InvalidOperationException("lag unknown") });
        var check = Step(thrown, FailoverStepName.CheckReplication);
        Assert.Equal((FailoverStepStatus.Failed, ErrorIds.FailoverStepFailed), (check.Status, check.ErrorId));
        Assert.Contains("-ReplicationCheck", check.Message);
        Assert.Contains("lag unknown", check.Message);
        AssertDrUnchanged();
    }

    [Fact]
    public async Task A_failing_PromoteStorage_stops_before_the_scale_up_and_says_how_to_resume()
    {
        var report = await RunAsync(Options() with
        {
            OpenPrimary = () => Connect(_primary),
            FencePrimary = true,
            PromoteStorage = _ => throw new InvalidOperationException("the volume is still read-only"),
        });

        AssertStatuses(report, FailoverStepStatus.Succeeded, FailoverStepStatus.Succeeded, FailoverStepStatus.Succeeded, FailoverStepStatus.Failed,
            FailoverStepStatus.NotRun, FailoverStepStatus.NotRun, FailoverStepStatus.NotRun);
        var promote = Step(report, FailoverStepName.PromoteStorage);
        Assert.Equal(ErrorIds.FailoverStepFailed, promote.ErrorId);
        Assert.Contains("-PromoteStorage", promote.Message);
        Assert.Contains("the volume is still read-only", promote.Message);
        Assert.Equal(promote, report.FailedStep);
        Assert.False(report.Succeeded);
        Assert.Null(report.Rto);
        // Only the fence was changed.
        Assert.Equal(2, report.Changes.Count);
        Assert.All(report.Changes, c => Assert.StartsWith("Primary 'primary'", c));
        Assert.Contains("-ResumeFrom PromoteStorage", report.Resume);
        Assert.Contains("2 change(s)", report.Resume);
        AssertDrUnchanged();
    }

    [Fact]
    public async Task A_failing_PromoteStorage_without_fence_has_no_changes_and_says_how_to_resume()
    {
        var report = await RunAsync(Options() with { PromoteStorage = _ => throw new InvalidOperationException("no") });

        Assert.Equal(FailoverStepStatus.Failed, Step(report, FailoverStepName.PromoteStorage).Status);
        Assert.Empty(report.Changes);
        Assert.Contains("-ResumeFrom PromoteStorage", report.Resume);
        AssertDrUnchanged();
    }

    [Fact]
    public async Task ResumeFrom_ScaleUp_skips_the_earlier_steps_but_still_checks_the_DR_cluster()
    {
        var ran = false;
        var report = await RunAsync(Options() with
        {
            ResumeFrom = FailoverStepName.ScaleUp,
            OpenPrimary = () => Connect(_primary),
            FencePrimary = true,
            MaxDataLoss = TimeSpan.FromMinutes(1),
            PromoteStorage = _ => { ran = true; return Task.CompletedTask; },
        });

        AssertStatuses(report,
            FailoverStepStatus.Succeeded, FailoverStepStatus.Skipped, FailoverStepStatus.Skipped, FailoverStepStatus.Skipped,
            FailoverStepStatus.Succeeded, FailoverStepStatus.Skipped, FailoverStepStatus.Succeeded);
        Assert.True(report.Succeeded);
        Assert.False(ran);
        Assert.Contains("-ResumeFrom ScaleUp", Step(report, FailoverStepName.PromoteStorage).Message);
        Assert.Equal((3, (string?)null), Read(_primary, "Deployment", "web"));
        Assert.Equal((3, (string?)null), Read(_dr, "Deployment", "web"));
        Assert.Equal((2, (string?)null), Read(_dr, "StatefulSet", "db"));
    }

    [Fact]
    public async Task Workloads_that_never_become_ready_fail_the_verify_step()
    {
        _dr.Controllers.WorkloadsNeverReady = true;

        var report = await RunAsync(Options() with { Timeout = TimeSpan.FromSeconds(1) });

        var verify = Step(report, FailoverStepName.Verify);
        Assert.Equal((FailoverStepStatus.Failed, ErrorIds.WorkloadsNotReady), (verify.Status, verify.ErrorId));
        Assert.Contains("2 of 2", verify.Message);
        Assert.Equal(FailoverStepStatus.Succeeded, Step(report, FailoverStepName.ScaleUp).Status);
        Assert.Null(report.Rto);
        Assert.Equal(2, report.NotReady.Count);
        Assert.Contains(report.NotReady, n => n.StartsWith("Deployment prod/web (0/3)", StringComparison.Ordinal));
        Assert.Contains(report.NotReady, n => n.StartsWith("StatefulSet prod/db (0/2)", StringComparison.Ordinal));
        Assert.Contains("-ResumeFrom Verify", report.Resume);
        Assert.Equal((3, (string?)null), Read(_dr, "Deployment", "web"));
    }

    [Fact]
    public async Task Cancellation_during_a_step_stops_it_and_still_returns_the_report()
    {
        using var cancellation = new CancellationTokenSource();
        var report = await RunAsync(Options() with
        {
            PromoteStorage = async token =>
            {
                await cancellation.CancelAsync();
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
            },
        }, cancellation.Token);

        AssertStatuses(report, FailoverStepStatus.Succeeded, FailoverStepStatus.Succeeded, FailoverStepStatus.Skipped, FailoverStepStatus.Stopped,
            FailoverStepStatus.NotRun, FailoverStepStatus.NotRun, FailoverStepStatus.NotRun);
        var promote = Step(report, FailoverStepName.PromoteStorage);
        Assert.Equal(ErrorIds.FailoverStopped, promote.ErrorId);
        Assert.Equal(promote, report.FailedStep);
        Assert.False(report.Succeeded);
        Assert.Contains("Stopped by the user during PromoteStorage", report.Resume);
        Assert.Contains("-ResumeFrom PromoteStorage", report.Resume);
        AssertDrUnchanged();
    }

    [Fact]
    public async Task A_refused_scale_fails_the_step_and_the_report_lists_the_workloads_that_were_scaled()
    {
        ListingTestCluster.Observe(_dr, (context, verb, resource) =>
            verb == "patch" && resource == "statefulsets"
                ? ListingTestCluster.AnswerStatusAsync(context, 403, "Forbidden", "statefulsets.apps \"db\" is forbidden")
                : Task.FromResult(false));

        var report = await RunAsync(Options());

        var scale = Step(report, FailoverStepName.ScaleUp);
        Assert.Equal((FailoverStepStatus.Failed, ErrorIds.FailoverScaleFailed), (scale.Status, scale.ErrorId));
        Assert.Contains("prod/db", scale.Message);
        Assert.All(report.Steps.Skip(5), s => Assert.Equal(FailoverStepStatus.NotRun, s.Status));
        Assert.Equal(["DR 'dr': namespace(s) prod marked kubebackup.io/promoted; Sync-KbStandby leaves them alone until Set-KbStandby.", "DR 'dr': Deployment prod/web scaled from 0 to 3."], report.Changes);
        Assert.Equal(ScaleAction.Failed, Workload(report, "db").Action);
        Assert.Contains("-ResumeFrom ScaleUp", report.Resume);
        Assert.Equal((3, (string?)null), Read(_dr, "Deployment", "web"));
        Assert.Equal((0, "2"), Read(_dr, "StatefulSet", "db"));
    }

    [Fact]
    public async Task Cancellation_during_the_scale_up_still_reports_the_workloads_already_scaled()
    {
        using var cancellation = new CancellationTokenSource();
        ListingTestCluster.Observe(_dr, async (context, verb, resource) =>
        {
            if (verb != "patch" || resource != "statefulsets")
            {
                return false;
            }
            // One scale at a time, Deployments first: the Deployment's scale is done; Ctrl+C while the StatefulSet's hangs.
            await cancellation.CancelAsync();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
            return true;
        });

        var report = await RunAsync(Options() with { MaxConcurrentScales = 1 }, cancellation.Token);

        AssertStatuses(report, FailoverStepStatus.Succeeded, FailoverStepStatus.Succeeded, FailoverStepStatus.Skipped, FailoverStepStatus.Skipped,
            FailoverStepStatus.Stopped, FailoverStepStatus.NotRun, FailoverStepStatus.NotRun);
        Assert.Equal((3, (string?)null), Read(_dr, "Deployment", "web"));
        Assert.Equal((0, "2"), Read(_dr, "StatefulSet", "db"));
        // The Deployment was scaled and its annotation removed: the report must say so, not "nothing was changed".
        Assert.Equal(["DR 'dr': namespace(s) prod marked kubebackup.io/promoted; Sync-KbStandby leaves them alone until Set-KbStandby.", "DR 'dr': Deployment prod/web scaled from 0 to 3."], report.Changes);
        Assert.Contains("2 change(s)", report.Resume);
        Assert.Contains("-ResumeFrom ScaleUp", report.Resume);
    }

    [Fact]
    public async Task A_namespace_missing_in_the_DR_cluster_fails_the_DR_check()
    {
        var report = await RunAsync(Options() with { Namespaces = ["prod", "shop"] });

        var check = Step(report, FailoverStepName.CheckDrCluster);
        Assert.Equal((FailoverStepStatus.Failed, ErrorIds.NamespaceNotFound), (check.Status, check.ErrorId));
        Assert.Contains("'shop'", check.Message);
        Assert.Contains("Nothing was changed", report.Resume);
        AssertDrUnchanged();
    }

    [Fact]
    public async Task No_namespace_means_nothing_to_scale_and_an_unknown_data_age()
    {
        var report = await RunAsync(Options() with { Namespaces = [] });

        AssertSucceeded(report);
        Assert.Equal(FailoverStepStatus.Skipped, Step(report, FailoverStepName.ScaleUp).Status);
        Assert.Null(report.Rpo);
        Assert.Empty(report.Workloads);
        AssertDrUnchanged();

        var limited = await RunAsync(Options() with { Namespaces = [], MaxDataLoss = TimeSpan.FromHours(1) });
        var check = Step(limited, FailoverStepName.CheckReplication);
        Assert.Equal((FailoverStepStatus.Failed, ErrorIds.DataLossExceeded), (check.Status, check.ErrorId));
    }

    [Fact]
    public async Task A_plan_goes_on_past_a_failed_replication_check_to_show_the_rest()
    {
        MarkDr(Now - TimeSpan.FromHours(2));

        var report = await new FailoverRunner(Options() with { MaxDataLoss = TimeSpan.FromHours(1), Clock = () => Now }, Sink).PlanAsync(default);

        AssertStatuses(report,
            FailoverStepStatus.Succeeded, FailoverStepStatus.Failed, FailoverStepStatus.Skipped, FailoverStepStatus.Skipped,
            FailoverStepStatus.Planned, FailoverStepStatus.Skipped, FailoverStepStatus.Planned);
        Assert.Equal(ErrorIds.DataLossExceeded, Step(report, FailoverStepName.CheckReplication).ErrorId);
        Assert.Null(report.Resume);
        AssertDrUnchanged();
    }

    [Fact]
    public async Task The_annotation_prefix_is_read_on_the_DR_side_and_written_on_the_fenced_primary()
    {
        // web carries a count under the prefix too (4), besides the seed's (3).
        var web = _dr.Cluster.Get("apps/v1", "Deployment", "prod", "web")!;
        web["metadata"]!["annotations"]!["kubebackup.io/original-replicas"] = "4";
        _dr.Cluster.Put(web);

        var report = await RunAsync(Options() with { AnnotationPrefix = "kubebackup.io/", OpenPrimary = () => Connect(_primary), FencePrimary = true });

        AssertSucceeded(report);
        var live = _dr.Cluster.Get("apps/v1", "Deployment", "prod", "web")!;
        Assert.Equal(4, (int?)live["spec"]!["replicas"]);
        Assert.Null(live["metadata"]!["annotations"]?["kubebackup.io/original-replicas"]);
        // The seed's annotation is another one under this prefix: left alone, and db (no prefixed annotation) stays at 0.
        Assert.Equal("3", (string?)live["metadata"]!["annotations"]?[Annotation]);
        Assert.Equal(ScaleAction.Skipped, Workload(report, "db").Action);
        Assert.Equal((0, "2"), Read(_dr, "StatefulSet", "db"));
        var primary = _primary.Cluster.Get("apps/v1", "Deployment", "prod", "web")!;
        Assert.Equal(0, (int?)primary["spec"]!["replicas"]);
        Assert.Equal("3", (string?)primary["metadata"]!["annotations"]!["kubebackup.io/original-replicas"]);
    }

    [Fact]
    public async Task A_recorded_count_of_zero_is_restored_as_zero_and_its_annotation_removed()
    {
        _dr.Cluster.LoadYaml("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: idle, namespace: prod, annotations: {original-replicas: "0"}}
            spec:
              replicas: 0
              selector: {matchLabels: {app: idle}}
              template: {metadata: {labels: {app: idle}}, spec: {containers: [{name: idle, image: nginx}]}}
            """);

        var report = await RunAsync(Options() with { DefaultReplicas = 5 });

        AssertSucceeded(report);
        var idle = Workload(report, "idle");
        Assert.Equal((ScaleAction.ScaleUp, 0, Annotation, true), (idle.Action, idle.TargetReplicas, idle.Source, idle.Ready));
        Assert.Equal((0, (string?)null), Read(_dr, "Deployment", "idle"));
    }

    [Fact]
    public async Task FencePrimary_passes_over_a_namespace_the_primary_does_not_have()
    {
        _dr.Cluster.LoadYaml("""
            apiVersion: v1
            kind: Namespace
            metadata: {name: dr-tools}
            """);

        var report = await RunAsync(Options() with { Namespaces = ["dr-tools", "prod"], OpenPrimary = () => Connect(_primary), FencePrimary = true });

        AssertSucceeded(report);
        Assert.Equal((0, "3"), Read(_primary, "Deployment", "web"));
        Assert.Equal((3, (string?)null), Read(_dr, "Deployment", "web"));
    }

    [Fact]
    public async Task FencePrimary_scales_the_primary_to_zero_recording_its_counts()
    {
        var report = await RunAsync(Options() with { OpenPrimary = () => Connect(_primary), FencePrimary = true });

        AssertSucceeded(report);
        Assert.Equal(FailoverStepStatus.Succeeded, Step(report, FailoverStepName.FencePrimary).Status);
        Assert.Equal((0, "3"), Read(_primary, "Deployment", "web"));
        Assert.Equal((0, "2"), Read(_primary, "StatefulSet", "db"));
        Assert.Contains("Primary 'primary': Deployment prod/web scaled from 3 to 0 (original-replicas=3).", report.Changes);
        Assert.Equal((3, (string?)null), Read(_dr, "Deployment", "web"));
    }

    [Fact]
    public async Task Fencing_a_primary_a_failover_promoted_makes_it_a_standby_again()
    {
        var ns = _primary.Cluster.Get("v1", "Namespace", null, "prod")!;
        ns["metadata"]!["annotations"] = new JsonObject { [StandbyMarks.PromotedAnnotation] = "2026-11-24T01:00:00Z" };
        _primary.Cluster.Put(ns);

        var report = await RunAsync(Options() with { OpenPrimary = () => Connect(_primary), FencePrimary = true });

        AssertSucceeded(report);
        Assert.Null(StandbyMarks.Promoted(_primary.Cluster.Get("v1", "Namespace", null, "prod")));
        Assert.Contains("Primary 'primary': namespace prod is a standby again (kubebackup.io/promoted removed).", report.Changes);
        Assert.NotNull(StandbyMarks.Promoted(_dr.Cluster.Get("v1", "Namespace", null, "prod")));
    }

    [Fact]
    public async Task An_unreachable_primary_is_not_fenced_and_the_failover_goes_on_with_a_warning()
    {
        var kubeconfig = await StoppedKubeconfigAsync();

        var report = await RunAsync(Options() with { OpenPrimary = () => ClusterTestKit.Open(kubeconfig), FencePrimary = true });

        AssertSucceeded(report);
        var fence = Step(report, FailoverStepName.FencePrimary);
        Assert.Equal(FailoverStepStatus.Skipped, fence.Status);
        Assert.Contains("Set-KbStandby -Context primary -Namespace prod", fence.Message);
        Assert.Contains(Sink.Warnings, w => w.Contains("The primary was not fenced", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Changes, c => c.StartsWith("Primary", StringComparison.Ordinal));
        Assert.Equal((3, (string?)null), Read(_dr, "Deployment", "web"));
    }

    [Fact]
    public async Task The_tier_measures_the_run()
    {
        MarkDr(Now - TimeSpan.FromMinutes(30));

        var warm = await RunAsync(Options() with { Tier = DrTier.Find("Tier-2"), Clock = () => Now });

        Assert.Equal("Tier-2", warm.Tier?.Name);
        Assert.Equal(TimeSpan.FromMinutes(30), warm.Rpo);
        Assert.Equal((true, true), (warm.RpoMet, warm.RtoMet));
    }

    [Fact]
    public async Task The_tier_1_RPO_is_not_met_by_a_standby_synced_from_a_backup()
    {
        MarkDr(Now - TimeSpan.FromMinutes(30));

        var hot = await RunAsync(Options() with { Tier = DrTier.Find("1"), Clock = () => Now });

        Assert.True(hot.Succeeded);
        Assert.Equal((false, true), (hot.RpoMet, hot.RtoMet));
    }

    [Fact]
    public async Task Without_a_tier_or_a_known_RPO_the_targets_are_not_judged()
    {
        var report = await RunAsync(Options() with { Tier = DrTier.Find("tier2") });
        Assert.Null(report.RpoMet);
        Assert.Equal(true, report.RtoMet);

        var untiered = await RunAsync(Options());
        Assert.Equal(((bool?)null, (bool?)null), (untiered.RpoMet, untiered.RtoMet));
    }

    [Theory]
    [InlineData("Tier-2", "Tier-2")]
    [InlineData("2", "Tier-2")]
    [InlineData("tier2", "Tier-2")]
    [InlineData("TIER-4", "Tier-4")]
    [InlineData(" Tier-1 ", "Tier-1")]
    [InlineData("Tier-9", null)]
    [InlineData("gold", null)]
    [InlineData("", null)]
    public void DrTier_Find_accepts_the_usual_spellings(string name, string? expected)
    {
        Assert.Equal(expected, DrTier.Find(name)?.Name);
    }

    [Fact]
    public void DrTier_targets_are_upper_bounds_and_tier_1_RPO_is_met_only_by_zero()
    {
        var hot = DrTier.Find("Tier-1")!;
        Assert.True(hot.RpoMet(TimeSpan.Zero));
        Assert.False(hot.RpoMet(TimeSpan.FromSeconds(1)));
        Assert.True(hot.RtoMet(TimeSpan.FromMinutes(14)));
        Assert.False(hot.RtoMet(TimeSpan.FromMinutes(15)));

        var warm = DrTier.Find("Tier-2")!;
        Assert.True(warm.RpoMet(TimeSpan.FromMinutes(59)));
        Assert.False(warm.RpoMet(TimeSpan.FromHours(1)));
        Assert.True(warm.RtoMet(TimeSpan.FromMinutes(59)));
        Assert.False(warm.RtoMet(TimeSpan.FromHours(2)));
        Assert.Equal("Tier-2 (Warm standby)", warm.ToString());
    }
}
