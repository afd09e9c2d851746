using KubeBackup.Core.Common;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Snapshots;

/// <summary>What retention decided for one snapshot.</summary>
public enum SnapshotRetentionAction
{
    Keep,
    Delete,
}

/// <summary>One snapshot's retention decision and the reason, in words an operator reads.</summary>
public sealed record SnapshotRetentionDecision
{
    public required VolumeSnapshotInfo Snapshot { get; init; }

    public string Namespace => Snapshot.Namespace;

    public string Name => Snapshot.Name;

    public string? SourcePvc => Snapshot.SourcePvc;

    public DateTimeOffset Created => Snapshot.Created;

    public required TimeSpan Age { get; init; }

    public required SnapshotRetentionAction Action { get; init; }

    public required string Reason { get; init; }
}

/// <summary>
/// Which snapshots a retention deletes: the seed's age rule (<c>-OlderThan 7d</c>) and/or a count per claim
/// (<c>-KeepLast N</c>). Pure: the caller selects the snapshots and gives the clock. Snapshots are grouped by namespace
/// and source claim. With both rules a snapshot is deleted only when it is older than the age AND not among the newest
/// N ready snapshots of its claim, so KeepLast is a floor that protects the newest good snapshots even when a schedule
/// stopped for longer than the age. Snapshots that are not ready (pending, failed) never count toward the newest N (a
/// failed snapshot must not push a good one out) and are deleted only by age. Snapshots being deleted already are kept
/// and not counted.
/// </summary>
public static class SnapshotRetention
{
    /// <exception cref="KbException"><see cref="ErrorIds.SnapshotRetentionInvalid"/> when neither rule is given, the age is not positive or the count is below 1.</exception>
    public static void Validate(TimeSpan? olderThan, int? keepLast)
    {
        if (olderThan is null && keepLast is null)
        {
            throw Invalid("retention", "Say which snapshots are expired: -OlderThan (an age such as 7d or 12h), -KeepLast (how many of each claim's newest snapshots to keep), or both.");
        }
        if (olderThan is { } age && age <= TimeSpan.Zero)
        {
            throw Invalid(age, $"-OlderThan must be a positive age such as 7d, 36h or 30m; '{age}' is not (a zero or negative age would expire every snapshot).");
        }
        if (keepLast is { } count && count < 1)
        {
            throw Invalid(count, $"-KeepLast must be 1 or more; {count} would keep no snapshot of a claim (use -OlderThan alone to expire by age only).");
        }
    }

    /// <summary>A decision for every snapshot given, in the order given.</summary>
    /// <exception cref="KbException"><see cref="ErrorIds.SnapshotRetentionInvalid"/>, see <see cref="Validate"/>.</exception>
    public static IReadOnlyList<SnapshotRetentionDecision> Decide(IReadOnlyList<VolumeSnapshotInfo> snapshots, TimeSpan? olderThan, int? keepLast, DateTimeOffset now)
    {
        Validate(olderThan, keepLast);
        // The newest N ready snapshots of each claim, by creation time (name breaks ties, so the result is stable).
        var protectedByCount = new HashSet<VolumeSnapshotInfo>(ReferenceEqualityComparer.Instance);
        if (keepLast is { } count)
        {
            foreach (var group in snapshots.Where(Counts).GroupBy(s => (s.Namespace, s.SourcePvc ?? "")))
            {
                foreach (var newest in group.OrderByDescending(s => s.Created).ThenByDescending(s => s.Name, StringComparer.Ordinal).Take(count))
                {
                    protectedByCount.Add(newest);
                }
            }
        }
        return [.. snapshots.Select(s => Decide(s, olderThan, keepLast, protectedByCount.Contains(s), now))];
    }

    private static bool Counts(VolumeSnapshotInfo s) => s.ReadyToUse && !s.IsTerminating && s.Error is null;

    private static SnapshotRetentionDecision Decide(VolumeSnapshotInfo s, TimeSpan? olderThan, int? keepLast, bool amongNewest, DateTimeOffset now)
    {
        var age = s.AgeAt(now);
        var ageText = $"age {HumanDuration.Format(age)}";
        var claim = $"{s.Namespace}/{s.SourcePvc ?? "(no source claim)"}";
        SnapshotRetentionDecision Keep(string reason) => new() { Snapshot = s, Age = age, Action = SnapshotRetentionAction.Keep, Reason = reason };
        SnapshotRetentionDecision Delete(string reason) => new() { Snapshot = s, Age = age, Action = SnapshotRetentionAction.Delete, Reason = reason };

        if (s.IsTerminating)
        {
            return Keep($"being deleted already ({ageText})");
        }
        var older = olderThan is { } limit && age > limit;
        if (olderThan is { } rule && !older)
        {
            return Keep($"newer than {HumanDuration.Format(rule)} ({ageText})");
        }
        if (keepLast is not { } n)
        {
            return Delete($"older than {HumanDuration.Format(olderThan!.Value)} ({ageText})");
        }
        if (amongNewest)
        {
            return Keep(olderThan is { } oldRule
                ? $"one of the newest {n} ready snapshots of {claim} ({ageText}, older than {HumanDuration.Format(oldRule)})"
                : $"one of the newest {n} ready snapshots of {claim} ({ageText})");
        }
        if (!Counts(s))
        {
            var state = $"{s.State.ToLowerInvariant()}, so not counted among the newest {n} of {claim}";
            return olderThan is { } oldRule
                ? Delete($"older than {HumanDuration.Format(oldRule)} ({ageText}); {state}")
                : Keep($"{state}; only -OlderThan deletes it ({ageText})");
        }
        return Delete(olderThan is { } both
            ? $"older than {HumanDuration.Format(both)} ({ageText}) and not one of the newest {n} ready snapshots of {claim}"
            : $"not one of the newest {n} ready snapshots of {claim} ({ageText})");
    }

    private static KbException Invalid(object target, string message) =>
        new(ErrorIds.SnapshotRetentionInvalid, KbErrorCategory.InvalidArgument, target, message);
}
