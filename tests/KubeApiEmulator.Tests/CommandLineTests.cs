using KubeApiEmulator.Hosting;

namespace KubeApiEmulator.Tests;

/// <summary>The standalone command's options, and the messages for bad values.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void Snapshot_fault_options_are_read_and_repeatable()
    {
        var c = CommandLine.Parse([
            "--snapshot-error", "prod/data-db-0-snap-*=driver exploded: quota=0",
            "--snapshot-error", "default/broken=failed",
            "--snapshot-never-ready", "prod/stuck",
            "--snapshot-never-ready", "staging/slow-*",
            "--snapshot-ready-delay", "1500",
        ]);

        Assert.Equal(new Dictionary<string, string>
        {
            ["prod/data-db-0-snap-*"] = "driver exploded: quota=0",
            ["default/broken"] = "failed",
        }, c.SnapshotErrors);
        Assert.Equal(["prod/stuck", "staging/slow-*"], c.SnapshotsNeverReady);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), c.SnapshotReadyDelay);
    }

    [Fact]
    public void Without_snapshot_options_nothing_is_set()
    {
        var c = CommandLine.Parse([]);
        Assert.Empty(c.SnapshotErrors);
        Assert.Empty(c.SnapshotsNeverReady);
        Assert.Null(c.SnapshotReadyDelay);
    }

    [Theory]
    [InlineData("--snapshot-error", "prod/db-snap", "NS/NAME=MESSAGE")]
    [InlineData("--snapshot-error", "prod/db-snap=", "NS/NAME=MESSAGE")]
    [InlineData("--snapshot-error", "db-snap=boom", "NS/NAME")]
    [InlineData("--snapshot-error", "/db-snap=boom", "NS/NAME")]
    [InlineData("--snapshot-never-ready", "stuck", "NS/NAME")]
    [InlineData("--snapshot-never-ready", "prod/", "NS/NAME")]
    [InlineData("--snapshot-never-ready", "prod/a/b", "NS/NAME")]
    [InlineData("--snapshot-never-ready", "prod/*-snap", "NS/NAME")]
    [InlineData("--snapshot-ready-delay", "soon", "non-negative number")]
    [InlineData("--snapshot-ready-delay", "-5", "non-negative number")]
    public void Bad_snapshot_option_values_are_rejected_with_a_message(string option, string value, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => CommandLine.Parse([option, value]));
        Assert.Contains(option, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("--snapshot-error")]
    [InlineData("--snapshot-never-ready")]
    [InlineData("--snapshot-ready-delay")]
    public void A_snapshot_option_without_its_value_is_rejected(string option)
    {
        var e = Assert.Throws<ArgumentException>(() => CommandLine.Parse([option]));
        Assert.Equal($"{option} needs a value", e.Message);
    }

    [Fact]
    public void Workload_options_are_read_and_repeatable()
    {
        var c = CommandLine.Parse([
            "--workload-never-ready", "prod/web",
            "--workload-never-ready", "staging/db-*",
            "--workload-ready-delay", "750",
        ]);

        Assert.Equal(["prod/web", "staging/db-*"], c.WorkloadsNeverReady);
        Assert.Equal(TimeSpan.FromMilliseconds(750), c.WorkloadReadyDelay);
        Assert.Empty(c.SnapshotsNeverReady);
    }

    [Fact]
    public void Without_workload_options_nothing_is_set()
    {
        var c = CommandLine.Parse([]);
        Assert.Empty(c.WorkloadsNeverReady);
        Assert.Null(c.WorkloadReadyDelay);
    }

    [Theory]
    [InlineData("--workload-never-ready", "web", "workload as NS/NAME")]
    [InlineData("--workload-never-ready", "/web", "workload as NS/NAME")]
    [InlineData("--workload-never-ready", "prod/", "workload as NS/NAME")]
    [InlineData("--workload-never-ready", "prod/a/b", "workload as NS/NAME")]
    [InlineData("--workload-never-ready", "prod/*-web", "workload as NS/NAME")]
    [InlineData("--workload-ready-delay", "soon", "non-negative number")]
    [InlineData("--workload-ready-delay", "-5", "non-negative number")]
    public void Bad_workload_option_values_are_rejected_with_a_message(string option, string value, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => CommandLine.Parse([option, value]));
        Assert.Contains(option, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("--workload-never-ready")]
    [InlineData("--workload-ready-delay")]
    public void A_workload_option_without_its_value_is_rejected(string option)
    {
        var e = Assert.Throws<ArgumentException>(() => CommandLine.Parse([option]));
        Assert.Equal($"{option} needs a value", e.Message);
    }

    [Fact]
    public void The_usage_text_names_the_snapshot_options()
    {
        Assert.Contains("--snapshot-error NS/NAME=MESSAGE", CommandLine.Usage);
        Assert.Contains("--snapshot-never-ready NS/NAME", CommandLine.Usage);
        Assert.Contains("--snapshot-ready-delay MS", CommandLine.Usage);
    }

    [Fact]
    public void The_usage_text_names_the_workload_options()
    {
        Assert.Contains("--workload-never-ready NS/NAME", CommandLine.Usage);
        Assert.Contains("--workload-ready-delay MS", CommandLine.Usage);
    }
}
