namespace KubeBackup.Core.Cluster.Listing;

/// <summary>What to list of a resource type and how.</summary>
public sealed record ResourceListOptions
{
    public static readonly ResourceListOptions Default = new();

    /// <summary>Only this namespace; null for all. Ignored for cluster-scoped resources.</summary>
    public string? Namespace { get; init; }

    /// <summary>Passed to the server as <c>labelSelector</c> (equality and set-based syntax).</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Passed to the server as <c>fieldSelector</c>.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>Objects per page (<c>limit</c>); bounds the memory of one list.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Leave out objects with <c>metadata.deletionTimestamp</c>: they are going away and a restore would recreate them.</summary>
    public bool SkipDeleting { get; init; } = true;

    /// <summary>How often an expired continue token (410 Gone) may restart one list before it fails.</summary>
    public int MaxRestarts { get; init; } = 3;

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
}
