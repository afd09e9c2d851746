using System.Text.Json.Nodes;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Restore;

/// <summary>One item on its way through a restore: the backup's entry, the object to create (transformed), and the plan's verdict.</summary>
internal sealed class PlannedItem
{
    public required ItemKey Key { get; init; }

    public string? Kind { get; set; }

    /// <summary>
    /// The object as the target cluster gets it, as the JSON sent; null when the item is skipped, invalid or done. Kept
    /// as bytes, not a document tree: a tree costs several times its text, and a large restore holds every item at once.
    /// </summary>
    public byte[]? Body { get; set; }

    /// <summary>The object to create keeps a status (-RestoreStatus), to be written through the status subresource.</summary>
    public bool HasStatus { get; set; }

    /// <summary>The body as a tree, for the rarer work that needs one (comparing with an existing object, the status).</summary>
    public JsonObject ParseBody() => JsonNode.Parse(Body ?? throw new InvalidOperationException($"{this} has nothing to restore."))!.AsObject();

    public string? TargetNamespace { get; init; }

    /// <summary>The name in the target: the mapped name for Namespace objects, else the item's name.</summary>
    public required string TargetName { get; init; }

    public int Tier { get; init; }

    public RestoreAction Action { get; set; } = RestoreAction.Create;

    public string? Reason { get; set; }

    public IReadOnlyList<string> ChangedFields { get; set; } = [];

    /// <summary>Added by the restore (a target namespace the backup has no object for), not read from the backup.</summary>
    public bool Synthetic { get; init; }

    public string CollectionPath => Cluster.Api.ObjectClient.PathOf(Key.Group, Key.Version, Key.Resource, TargetNamespace);

    public string ObjectPath => Cluster.Api.ObjectClient.PathOf(Key.Group, Key.Version, Key.Resource, TargetNamespace, TargetName);

    public string FullResource => Key.Group.Length == 0 ? Key.Resource : $"{Key.Resource}.{Key.Group}";

    public RestoreItemResult ToResult(RestoreOutcome? outcome = null, string? reason = null) => new()
    {
        Group = Key.Group,
        Version = Key.Version,
        Resource = Key.Resource,
        Kind = Kind,
        Namespace = Key.Namespace,
        TargetNamespace = TargetNamespace,
        Name = TargetName,
        Tier = Tier,
        Action = Action,
        Outcome = outcome,
        Reason = reason ?? Reason,
        ChangedFields = ChangedFields,
    };

    public override string ToString() => $"{FullResource} {(TargetNamespace is null ? TargetName : $"{TargetNamespace}/{TargetName}")}";
}
