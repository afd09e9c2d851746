using System.Text.Json.Nodes;
using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Cluster.Listing;

/// <summary>
/// One result of <see cref="ResourceLister.ListManyAsync(IEnumerable{ListRequest}, int, CancellationToken)"/>: an
/// object of a resource type, or the failure that ended that type's list (after which no more objects of it follow).
/// </summary>
public sealed record ListedItem(ApiResource Resource, RawObject? Raw, KbException? Failure)
{
    public bool Failed => Failure is not null;

    /// <summary>The object parsed (a new tree each time): for callers that want one, not for bulk work.</summary>
    public JsonObject? Object => Raw?.Parse();
}
