using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using KubeBackup.Core.Cluster.Api;
using KubeBackup.Core.Cluster.Listing;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;

namespace KubeBackup.Core.Cluster.Discovery;

/// <summary>
/// Reads what the cluster serves: the core group (<c>/api/v1</c>) and every group of <c>/apis</c> at its preferred
/// version. A group whose document cannot be read (an aggregated API that is down) is skipped with a warning, as
/// kubectl does; the core group or <c>/apis</c> failing is an error.
/// </summary>
public static class ApiDiscovery
{
    /// <summary>
    /// Core events and events.k8s.io events are the same objects. The backup takes events.k8s.io's (the current
    /// API, with the richer fields); core events stay resolvable but are skipped when both are served.
    /// </summary>
    private static readonly (string Group, string Resource, string DuplicateOfGroup)[] Duplicates =
    [
        ("", "events", "events.k8s.io"),
    ];

    private const int GroupConcurrency = 8;

    public static Task<DiscoveredResources> DiscoverAsync(IKubernetes client, CancellationToken cancellationToken) =>
        DiscoverAsync(client, NullOperationSink.Instance, RetryPolicy.Default, cancellationToken);

    public static async Task<DiscoveredResources> DiscoverAsync(IKubernetes client, IOperationSink sink, RetryPolicy retryPolicy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(sink);
        var api = new RetryingApi(new KubeApi(client), retryPolicy);
        void OnRetry(string path, Exception e, TimeSpan delay) =>
            sink.Verbose($"Discovery: GET {path} failed ({RetryingApi.Describe(e)}); retrying in {delay.TotalSeconds:0.0} s.");

        var core = await GetRequiredAsync(api, "/api/v1", OnRetry, cancellationToken).ConfigureAwait(false);
        var groups = await GetRequiredAsync(api, "/apis", OnRetry, cancellationToken).ConfigureAwait(false);

        var preferred = PreferredGroupVersions(groups);
        var documents = new ConcurrentDictionary<string, JsonObject>(StringComparer.Ordinal);
        var failed = new ConcurrentBag<FailedApiGroup>();
        await Parallel.ForEachAsync(preferred, new ParallelOptions { MaxDegreeOfParallelism = GroupConcurrency, CancellationToken = cancellationToken }, async (groupVersion, token) =>
        {
            var path = $"/apis/{groupVersion}";
            try
            {
                documents[groupVersion] = await api.GetAsync(path, (e, d) => OnRetry(path, e, d), token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ApiResponseError or HttpRequestException or System.Text.Json.JsonException || RetryingApi.IsTransient(e, token))
            {
                var reason = RetryingApi.Describe(e);
                failed.Add(new FailedApiGroup(groupVersion, reason));
                sink.Warning($"Skipping API group {groupVersion}: its discovery document could not be read ({reason}). Its resources are not backed up.");
            }
        }).ConfigureAwait(false);

        var resources = new List<ApiResource>(ResourcesOf("", "v1", core));
        foreach (var groupVersion in preferred.Where(documents.ContainsKey))
        {
            var slash = groupVersion.IndexOf('/', StringComparison.Ordinal);
            resources.AddRange(ResourcesOf(groupVersion[..slash], groupVersion[(slash + 1)..], documents[groupVersion]));
        }

        sink.Verbose($"Discovery: {resources.Count} resource types in {documents.Count + 1} groups; {failed.Count} groups unavailable.");
        return new DiscoveredResources(MarkDuplicates(resources), [.. failed.OrderBy(f => f.GroupVersion, StringComparer.Ordinal)]);
    }

    private static async Task<JsonObject> GetRequiredAsync(RetryingApi api, string path, Action<string, Exception, TimeSpan> onRetry, CancellationToken cancellationToken)
    {
        try
        {
            return await api.GetAsync(path, (e, d) => onRetry(path, e, d), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ApiResponseError or HttpRequestException or System.Text.Json.JsonException || RetryingApi.IsTransient(e, cancellationToken))
        {
            throw new KbException(ErrorIds.DiscoveryFailed, KbErrorCategory.ConnectionError, path,
                $"API discovery failed: GET {path} answered {RetryingApi.Describe(e)}. Check that the cluster is reachable and healthy.", e);
        }
    }

    /// <summary>The <c>group/version</c> of each group's preferred version (its first version when it names none).</summary>
    private static List<string> PreferredGroupVersions(JsonObject groupList)
    {
        var result = new List<string>();
        foreach (var group in groupList["groups"]?.AsArray() ?? [])
        {
            var groupVersion = group?["preferredVersion"]?["groupVersion"]?.GetValue<string>()
                ?? group?["versions"]?.AsArray().FirstOrDefault()?["groupVersion"]?.GetValue<string>();
            if (groupVersion is not null && groupVersion.Contains('/', StringComparison.Ordinal))
            {
                result.Add(groupVersion);
            }
        }

        return result;
    }

    private static IEnumerable<ApiResource> ResourcesOf(string group, string version, JsonObject document)
    {
        foreach (var node in document["resources"]?.AsArray() ?? [])
        {
            var name = node?["name"]?.GetValue<string>();
            // Subresources (deployments/scale, pods/exec) are views of their parent, never objects of their own.
            if (node is null || string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            var resource = new ApiResource(
                group,
                // A resource may name its own group/version (rare, e.g. aggregated APIs); the objects carry that one.
                node["version"]?.GetValue<string>() is { Length: > 0 } v ? v : version,
                name,
                node["kind"]?.GetValue<string>() ?? "",
                node["namespaced"]?.GetValue<bool>() ?? false,
                Strings(node["verbs"]),
                Strings(node["shortNames"]),
                node["singularName"]?.GetValue<string>() ?? "");
            yield return resource.Listable ? resource : resource with { SkipReason = "not listable: the server does not offer both list and get" };
        }
    }

    private static List<ApiResource> MarkDuplicates(List<ApiResource> resources)
    {
        var served = resources.Select(r => (r.Group, r.Resource)).ToHashSet();
        return [.. resources.Select(r =>
        {
            var duplicate = Duplicates.FirstOrDefault(d => d.Group == r.Group && d.Resource == r.Resource);
            return duplicate.Resource is not null && r.IsBackupCandidate && served.Contains((duplicate.DuplicateOfGroup, r.Resource))
                ? r with { SkipReason = $"the same objects are taken as {r.Resource}.{duplicate.DuplicateOfGroup}" }
                : r;
        })];
    }

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(n => n?.GetValue<string>()).OfType<string>()] : [];
}
