namespace KubeApiEmulator.Api;

/// <summary>Options of a list request.</summary>
public sealed record ListQuery
{
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }
    public int Limit { get; init; }
    public string? Continue { get; init; }
}

/// <summary>Options shared by write requests.</summary>
public sealed record WriteOptions
{
    public static readonly WriteOptions Default = new();

    public bool DryRun { get; init; }

    /// <summary>The fieldManager of an apply; its previously applied fields are tracked.</summary>
    public string? FieldManager { get; init; }

    /// <summary>
    /// Keep a metadata.uid given on create. Never set for API requests: manifest loading uses it so that loaded
    /// ownerReferences still point at their owners.
    /// </summary>
    public bool PreserveUid { get; init; }
}

/// <summary>DeleteOptions from the query and the request body.</summary>
public sealed record DeleteRequest
{
    public static readonly DeleteRequest Default = new();

    public bool DryRun { get; init; }
    public string? PropagationPolicy { get; init; }
    public string? PreconditionUid { get; init; }
    public string? PreconditionResourceVersion { get; init; }
}

public sealed record ListResult(IReadOnlyList<Storage.StoredObject> Items, long Revision, string? Continue, long? RemainingItemCount);

/// <summary>The outcome of a write: the object in stored form, and whether it was created.</summary>
public sealed record WriteResult(System.Text.Json.Nodes.JsonObject Object, bool Created, Storage.StoredObject? Stored = null);
