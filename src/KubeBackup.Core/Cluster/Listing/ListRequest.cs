using KubeBackup.Core.Cluster.Discovery;

namespace KubeBackup.Core.Cluster.Listing;

/// <summary>One list of <see cref="ResourceLister.ListManyAsync(IEnumerable{ListRequest}, int, CancellationToken)"/>: a resource type and how to list it.</summary>
public sealed record ListRequest(ApiResource Resource, ResourceListOptions Options)
{
    public override string ToString() =>
        Resource.Namespaced && !string.IsNullOrEmpty(Options.Namespace) ? $"{Resource.FullName} in {Options.Namespace}" : Resource.FullName;
}
