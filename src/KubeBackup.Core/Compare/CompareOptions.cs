using KubeBackup.Core.Cluster.Listing;

namespace KubeBackup.Core.Compare;

/// <summary>What a comparison covers, with the filters named as New-KbBackup names them.</summary>
public sealed record CompareOptions
{
    /// <summary>Namespaces to compare (wildcards); all when empty. When given, cluster-scoped items other than those namespaces' Namespace objects are left out.</summary>
    public IReadOnlyList<string> IncludedNamespaces { get; init; } = [];

    public IReadOnlyList<string> ExcludedNamespaces { get; init; } = [];

    /// <summary>Resource types to compare, as kubectl names them (<c>deployments</c>, <c>deploy</c>, <c>deployments.apps</c>); all when empty.</summary>
    public IReadOnlyList<string> IncludedResources { get; init; } = [];

    public IReadOnlyList<string> ExcludedResources { get; init; } = [];

    /// <summary>Report items that are the same on both sides too (they are left out otherwise).</summary>
    public bool IncludeUnchanged { get; init; }

    public int MaxConcurrentLists { get; init; } = 4;

    /// <summary>How many backed-up items are read and compared at once.</summary>
    public int MaxConcurrentItems { get; init; } = Math.Max(2, Environment.ProcessorCount);

    public int PageSize { get; init; } = 500;

    public RetryPolicy ListRetry { get; init; } = RetryPolicy.Default;
}
