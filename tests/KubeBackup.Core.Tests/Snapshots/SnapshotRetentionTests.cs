using KubeBackup.Core.Errors;
using KubeBackup.Core.Snapshots;

namespace KubeBackup.Core.Tests.Snapshots;

/// <summary>The retention rules of Remove-KbExpiredSnapshot, with an injected clock (no cluster).</summary>
public sealed class SnapshotRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static VolumeSnapshotInfo Snap(string name, TimeSpan age, string pvc = "data-db-0", string ns = "prod", bool ready = true, string? error = null, bool terminating = false) => new()
    {
        Namespace = ns,
        Name = name,
        SourcePvc = pvc,
        ReadyToUse = ready,
        Error = error,
        IsTerminating = terminating,
        Created = Now - age,
    };

    private static TimeSpan Days(double d) => TimeSpan.FromDays(d);

    private static Dictionary<string, SnapshotRetentionDecision> Decide(IReadOnlyList<VolumeSnapshotInfo> snapshots, TimeSpan? olderThan, int? keepLast) =>
        SnapshotRetention.Decide(snapshots, olderThan, keepLast, Now).ToDictionary(d => d.Name);

    private static string[] Deleted(Dictionary<string, SnapshotRetentionDecision> decisions) =>
        [.. decisions.Values.Where(d => d.Action == SnapshotRetentionAction.Delete).Select(d => d.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public void OlderThanAloneDeletesWhatIsOlderAndSaysTheAges()
    {
        var decisions = Decide([Snap("a", Days(8) + TimeSpan.FromHours(1)), Snap("b", Days(2) + TimeSpan.FromHours(4)), Snap("c", Days(9), pvc: "uploads")], Days(7), null);

        Assert.Equal(["a", "c"], Deleted(decisions));
        Assert.Equal("older than 7d (age 8d 1h)", decisions["a"].Reason);
        Assert.Equal("newer than 7d (age 2d 4h)", decisions["b"].Reason);
        Assert.Equal(Days(8) + TimeSpan.FromHours(1), decisions["a"].Age);
    }

    [Fact]
    public void ASnapshotExactlyAsOldAsTheLimitIsKept()
    {
        var decisions = Decide([Snap("edge", Days(7))], Days(7), null);
        Assert.Equal(SnapshotRetentionAction.Keep, decisions["edge"].Action);
    }

    [Fact]
    public void KeepLastAloneKeepsTheNewestNOfEachClaimAndNamespace()
    {
        var snapshots = new[]
        {
            Snap("db-1", Days(5)), Snap("db-2", Days(4)), Snap("db-3", Days(3)), Snap("db-4", Days(2)),
            Snap("up-1", Days(5), pvc: "uploads"), Snap("up-2", Days(1), pvc: "uploads"),
            Snap("stage-db-1", Days(9), ns: "staging"), Snap("stage-db-2", Days(8), ns: "staging"), Snap("stage-db-3", Days(7), ns: "staging"),
        };
        var decisions = Decide(snapshots, null, 2);

        Assert.Equal(["db-1", "db-2", "stage-db-1"], Deleted(decisions));
        Assert.Equal("one of the newest 2 ready snapshots of prod/data-db-0 (age 2d)", decisions["db-4"].Reason);
        Assert.Equal("not one of the newest 2 ready snapshots of prod/data-db-0 (age 5d)", decisions["db-1"].Reason);
        Assert.Equal(SnapshotRetentionAction.Keep, decisions["up-1"].Action);
    }

    [Fact]
    public void WithBothRulesOnlySnapshotsOlderThanTheAgeAndBeyondTheNewestNGo()
    {
        // The schedule stopped 10 days ago: every snapshot is older than 7d, yet the newest 2 stay.
        var snapshots = new[] { Snap("s1", Days(13)), Snap("s2", Days(12)), Snap("s3", Days(11)), Snap("s4", Days(10)), Snap("fresh", Days(1), pvc: "uploads") };
        var decisions = Decide(snapshots, Days(7), 2);

        Assert.Equal(["s1", "s2"], Deleted(decisions));
        Assert.Equal("older than 7d (age 13d) and not one of the newest 2 ready snapshots of prod/data-db-0", decisions["s1"].Reason);
        Assert.Equal("one of the newest 2 ready snapshots of prod/data-db-0 (age 10d, older than 7d)", decisions["s4"].Reason);
        Assert.Equal("newer than 7d (age 1d)", decisions["fresh"].Reason);
    }

    [Fact]
    public void WithBothRulesSnapshotsBeyondTheNewestNButYoungerThanTheAgeStay()
    {
        var snapshots = new[] { Snap("h1", TimeSpan.FromHours(5)), Snap("h2", TimeSpan.FromHours(4)), Snap("h3", TimeSpan.FromHours(3)), Snap("h4", TimeSpan.FromHours(2)) };
        var decisions = Decide(snapshots, Days(7), 1);

        Assert.Empty(Deleted(decisions));
        Assert.Equal("newer than 7d (age 5h)", decisions["h1"].Reason);
    }

    [Fact]
    public void FailedAndPendingSnapshotsNeverPushAGoodOneOutOfTheNewestN()
    {
        var snapshots = new[]
        {
            Snap("good-old", Days(6)), Snap("good", Days(5)),
            Snap("failed", Days(2), ready: false, error: "disk quota exceeded"), Snap("pending", Days(1), ready: false),
        };
        var decisions = Decide(snapshots, null, 2);

        Assert.Empty(Deleted(decisions));
        Assert.Equal("one of the newest 2 ready snapshots of prod/data-db-0 (age 6d)", decisions["good-old"].Reason);
        Assert.Equal("failed, so not counted among the newest 2 of prod/data-db-0; only -OlderThan deletes it (age 2d)", decisions["failed"].Reason);
        Assert.StartsWith("pending, so not counted", decisions["pending"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NotReadySnapshotsAreDeletedByAge()
    {
        var snapshots = new[] { Snap("good", Days(20)), Snap("failed-old", Days(10), ready: false, error: "boom"), Snap("failed-new", Days(1), ready: false, error: "boom") };

        var both = Decide(snapshots, Days(7), 3);
        Assert.Equal(["failed-old"], Deleted(both));
        Assert.Equal("older than 7d (age 10d); failed, so not counted among the newest 3 of prod/data-db-0", both["failed-old"].Reason);

        var byAge = Decide(snapshots, Days(7), null);
        Assert.Equal(["failed-old", "good"], Deleted(byAge));
    }

    [Fact]
    public void SnapshotsBeingDeletedAreKeptAndNotCounted()
    {
        var snapshots = new[] { Snap("old", Days(3)), Snap("going", Days(1), terminating: true) };
        var decisions = Decide(snapshots, null, 1);

        Assert.Empty(Deleted(decisions));
        Assert.Equal("being deleted already (age 1d)", decisions["going"].Reason);
        Assert.StartsWith("one of the newest 1 ", decisions["old"].Reason, StringComparison.Ordinal);
        Assert.Equal(SnapshotRetentionAction.Keep, Decide(snapshots, Days(0.5), null)["going"].Action);
    }

    [Fact]
    public void SnapshotsWithoutASourceClaimFormOneGroupPerNamespace()
    {
        var snapshots = new[] { Snap("x1", Days(3), pvc: null!), Snap("x2", Days(2), pvc: null!), Snap("y1", Days(3), pvc: null!, ns: "other") };
        var decisions = Decide(snapshots, null, 1);

        Assert.Equal(["x1"], Deleted(decisions));
        Assert.Contains("prod/(no source claim)", decisions["x1"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SnapshotsCreatedInTheSameSecondAreOrderedByName()
    {
        var snapshots = new[] { Snap("b", Days(1)), Snap("a", Days(1)), Snap("c", Days(1)) };
        Assert.Equal(["a"], Deleted(Decide(snapshots, null, 2)));
    }

    [Fact]
    public void DecisionsComeInTheOrderGivenOnePerSnapshot()
    {
        var snapshots = new[] { Snap("z", Days(9)), Snap("a", Days(1)), Snap("m", Days(8), pvc: "uploads") };
        Assert.Equal(["z", "a", "m"], SnapshotRetention.Decide(snapshots, Days(7), 1, Now).Select(d => d.Name));
        Assert.Empty(SnapshotRetention.Decide([], Days(7), null, Now));
    }

    public static TheoryData<TimeSpan?, int?, string> InvalidRules => new()
    {
        { null, null, "-OlderThan" },
        { TimeSpan.Zero, null, "positive age" },
        { TimeSpan.FromHours(-1), 3, "positive age" },
        { null, 0, "1 or more" },
        { Days(7), -2, "1 or more" },
    };

    [Theory]
    [MemberData(nameof(InvalidRules))]
    public void InvalidRulesAreRefusedBeforeAnythingIsDecided(TimeSpan? olderThan, int? keepLast, string message)
    {
        var e = Assert.Throws<KbException>(() => SnapshotRetention.Decide([Snap("a", Days(30))], olderThan, keepLast, Now));
        Assert.Equal(ErrorIds.SnapshotRetentionInvalid, e.ErrorId);
        Assert.Equal(KbErrorCategory.InvalidArgument, e.Category);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(0.25, "250ms")]
    [InlineData(45, "45s")]
    [InlineData(190, "3m 10s")]
    [InlineData(7200, "2h")]
    [InlineData(7500, "2h 5m")]
    [InlineData(190_800, "2d 5h")]
    [InlineData(604_800, "7d")]
    [InlineData(604_830, "7d")]
    public void AgesAreWrittenInTheirTwoLargestUnits(double seconds, string text)
    {
        Assert.Equal(text, KubeBackup.Core.Common.HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
    }
}
