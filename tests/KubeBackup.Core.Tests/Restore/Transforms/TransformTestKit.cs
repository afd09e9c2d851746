using System.Text.Json.Nodes;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Restore.Transforms;

namespace KubeBackup.Core.Tests.Restore.Transforms;

/// <summary>Objects as <c>kubectl get -o json</c> shows them, and a way to run a transform and check the input stays as it was.</summary>
internal static class TransformTestKit
{
    public static RestoreContext Context(
        IReadOnlyDictionary<string, string>? mapping = null,
        Func<string, string, string?, string, bool>? isRestored = null,
        bool preserveNodePorts = false,
        Func<string, bool>? restoresStatusOf = null) => new()
        {
            BackupName = "nightly-20261124",
            RestoreName = "nightly-20261124-restore",
            NamespaceMapping = mapping ?? new Dictionary<string, string>(),
            IsRestored = isRestored ?? ((_, _, _, _) => false),
            PreserveNodePorts = preserveNodePorts,
            RestoresStatusOf = restoresStatusOf ?? (_ => false),
        };

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>Prepares and asserts the input was not modified.</summary>
    public static TransformResult Run(ItemKey key, JsonObject item, RestoreContext context)
    {
        var before = item.ToJsonString();
        var result = RestoreTransform.Prepare(key, item, context);
        Assert.Equal(before, item.ToJsonString());
        Assert.Equal(result.Skipped, result.SkipReason is not null);
        return result;
    }

    /// <summary>Prepares, expecting an object to create.</summary>
    public static JsonObject Created(ItemKey key, JsonObject item, RestoreContext context)
    {
        var result = Run(key, item, context);
        Assert.Null(result.SkipReason);
        Assert.NotSame(item, result.Object);
        return result.Object!;
    }

    /// <summary>Prepares, expecting a skip; returns the reason.</summary>
    public static string Skipped(ItemKey key, JsonObject item, RestoreContext context)
    {
        var result = Run(key, item, context);
        Assert.True(result.Skipped);
        return result.SkipReason!;
    }

    public static string? Text(JsonNode? node) => node?.GetValue<string>();

    public static void AssertJson(string expected, JsonNode? actual) =>
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), actual?.ToJsonString());
}
