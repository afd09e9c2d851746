using System.Globalization;
using System.Text.Json.Nodes;
using KubeBackup.Core.Cluster.Api;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Failover;

/// <summary>The Deployments and StatefulSets (apps/v1) of a namespace: what standby and failover scale.</summary>
internal static class Workloads
{
    private static readonly (string Kind, string Resource)[] Kinds = [("Deployment", "deployments"), ("StatefulSet", "statefulsets")];

    public static string PathOf(string kind, string @namespace, string name) =>
        ObjectClient.PathOf("apps", "v1", kind == "Deployment" ? "deployments" : "statefulsets", @namespace, name);

    /// <summary>The Namespace object (its standby marks are annotations), or null when it does not exist.</summary>
    public static Task<JsonObject?> GetNamespaceAsync(ObjectClient objects, string @namespace, CancellationToken cancellationToken) =>
        objects.GetAsync(NamespacePath(@namespace), cancellationToken);

    /// <summary>A merge patch of the Namespace object: how the standby marks are written (<see cref="StandbyMarks"/>).</summary>
    public static Task PatchNamespaceAsync(ObjectClient objects, string @namespace, JsonObject patch, CancellationToken cancellationToken) =>
        objects.MergePatchAsync(NamespacePath(@namespace), patch, cancellationToken);

    private static string NamespacePath(string @namespace) => ObjectClient.PathOf("", "v1", "namespaces", null, @namespace);

    /// <exception cref="KbException"><see cref="ErrorIds.NamespaceNotFound"/>.</exception>
    public static async Task RequireNamespaceAsync(ObjectClient objects, string @namespace, string cluster, CancellationToken cancellationToken)
    {
        if (await GetNamespaceAsync(objects, @namespace, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new KbException(ErrorIds.NamespaceNotFound, KbErrorCategory.ObjectNotFound, @namespace, $"Namespace '{@namespace}' does not exist in {cluster}.");
        }
    }

    /// <summary>Deployments first, then StatefulSets, each by name.</summary>
    public static async Task<IReadOnlyList<(string Kind, JsonObject Item)>> ListAsync(ObjectClient objects, string @namespace, CancellationToken cancellationToken)
    {
        var result = new List<(string, JsonObject)>();
        foreach (var (kind, resource) in Kinds)
        {
            var list = await objects.GetAsync(ObjectClient.PathOf("apps", "v1", resource, @namespace), cancellationToken).ConfigureAwait(false);
            result.AddRange((list?["items"] as JsonArray ?? []).OfType<JsonObject>()
                .OrderBy(i => (string?)i["metadata"]?["name"], StringComparer.Ordinal)
                .Select(i => (kind, i)));
        }
        return result;
    }

    public static string Name(JsonObject item) => (string)item["metadata"]!["name"]!;

    /// <summary>spec.replicas; 1 when unset, as the API server defaults it.</summary>
    public static int Replicas(JsonObject item) => item["spec"]?["replicas"] is JsonValue v && v.TryGetValue<int>(out var r) ? r : 1;

    /// <summary>The annotation's text, or null when the workload has none.</summary>
    public static string? Recorded(JsonObject item, string annotation) => item["metadata"]?["annotations"]?[annotation] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        var other => other.ToJsonString(),
    };

    /// <summary>A recorded count: a non-negative integer, nothing else.</summary>
    public static bool TryParseCount(string text, out int count) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count);

    public static string InvalidAnnotationMessage(string what, string annotation, string text) =>
        $"{what}: annotation {annotation} is '{text}', not a non-negative integer; the workload was left alone. Correct or remove the annotation and run again.";
}
