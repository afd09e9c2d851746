using System.Text.Json.Nodes;
using KubeBackup.Core.Compare;

namespace KubeBackup.Core.Restore;

/// <summary>How an object in the target compares with the backup's: the same plan decision for a preview and a run.</summary>
internal static class ExistingObject
{
    /// <summary>The action for an object that exists, and the fields that differ (ignoring what a restore resets).</summary>
    public static (RestoreAction Action, IReadOnlyList<string> Changed, string Reason) Decide(JsonObject desired, JsonObject live, ExistingResourcePolicy policy)
    {
        var changed = ObjectDiff.Compare(ObjectNormalizer.ForComparison(live), ObjectNormalizer.ForComparison(desired)).Select(c => c.Path).ToList();
        if (changed.Count == 0)
        {
            return (RestoreAction.SkipExistsEqual, changed, "Exists and equals the backup.");
        }
        var fields = string.Join(", ", changed.Take(5)) + (changed.Count > 5 ? $" and {changed.Count - 5} more" : "");
        return policy == ExistingResourcePolicy.Update
            ? (RestoreAction.Update, changed, $"Exists and differs from the backup ({fields}); updated to the backed-up state.")
            : (RestoreAction.SkipExistsDiffers, changed, $"Exists and differs from the backup ({fields}); left as it is (-ExistingResourcePolicy Skip).");
    }

    /// <summary>True when the live object was made by this very restore (a create whose answer was lost and was retried).</summary>
    public static bool MadeBy(JsonObject live, string restoreName) =>
        (string?)live["metadata"]?["labels"]?[RestoreLabels.RestoreName] == RestoreLabels.Value(restoreName);
}
