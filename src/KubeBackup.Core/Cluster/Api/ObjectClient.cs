using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using KubeBackup.Core.Cluster.Listing;

namespace KubeBackup.Core.Cluster.Api;

/// <summary>
/// Get, create and merge-patch of single objects of any resource type as JSON (a restore's writes), with the retry
/// policy. Errors stay <see cref="ApiResponseError"/>s with the server's status and reason; callers decide what they mean.
/// </summary>
internal sealed class ObjectClient(IKubernetes client, RetryPolicy retry, Action<string>? onRetry = null)
{
    private readonly RetryingApi _api = new(new KubeApi(client), retry);

    /// <summary>The request path of a resource type's collection (<paramref name="name"/> null) or of one object.</summary>
    public static string PathOf(string group, string version, string resource, string? @namespace, string? name = null)
    {
        var root = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
        var collection = @namespace is null ? $"{root}/{resource}" : $"{root}/namespaces/{Uri.EscapeDataString(@namespace)}/{resource}";
        return name is null ? collection : $"{collection}/{Uri.EscapeDataString(name)}";
    }

    /// <summary>The object, or null when the server says it does not exist.</summary>
    public async Task<JsonObject?> GetAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var body = await _api.SendAsync(HttpMethod.Get, path, null, null, Report(path), cancellationToken).ConfigureAwait(false);
            return JsonNode.Parse(body.Span) as JsonObject;
        }
        catch (ApiResponseError e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>POSTs <paramref name="item"/> (an object's JSON) to its collection. AlreadyExists and every other refusal throw <see cref="ApiResponseError"/>.</summary>
    public async Task CreateAsync(string collectionPath, ReadOnlyMemory<byte> item, CancellationToken cancellationToken)
    {
        using var _ = await _api.SendAsync(HttpMethod.Post, collectionPath, item, "application/json", Report(collectionPath), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A JSON merge patch (RFC 7386): fields it names are set, null removes; arrays are replaced whole.</summary>
    public async Task MergePatchAsync(string path, JsonObject patch, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(patch);
        using var _ = await _api.SendAsync(HttpMethod.Patch, path, body, "application/merge-patch+json", Report(path), cancellationToken).ConfigureAwait(false);
    }

    private Action<Exception, TimeSpan>? Report(string path) =>
        onRetry is null ? null : (e, delay) => onRetry($"{path}: {RetryingApi.Describe(e)}; retrying in {delay.TotalSeconds:0.0} s.");
}
