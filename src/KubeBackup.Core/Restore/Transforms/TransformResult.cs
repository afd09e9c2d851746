using System.Text.Json.Nodes;

namespace KubeBackup.Core.Restore.Transforms;

/// <summary>The object to create in the target cluster, or why the item is not restored (then <see cref="Object"/> is null).</summary>
public sealed record TransformResult(JsonObject? Object, string? SkipReason)
{
    public static TransformResult Skip(string reason) => new(null, reason);

    internal static TransformResult Create(JsonObject item) => new(item, null);

    public bool Skipped => Object is null;
}
