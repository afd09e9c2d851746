using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace KubeBackup.Core.Cluster.Listing;

/// <summary>
/// Raw JSON GETs through the client's own HttpClient and credentials. Discovery documents of arbitrary groups and
/// lists of arbitrary resources (CRDs included) have no typed calls in KubernetesClient, and typed models would
/// drop unknown fields.
/// </summary>
internal sealed class KubeApiGet
{
    private readonly Kubernetes client;

    public KubeApiGet(IKubernetes client)
    {
        this.client = client as Kubernetes
            ?? throw new ArgumentException("Raw API requests need the KubernetesClient 'Kubernetes' implementation.", nameof(client));
    }

    /// <summary>GETs a path relative to the server (e.g. <c>/apis/apps/v1</c>) and parses the JSON answer.</summary>
    /// <exception cref="ApiResponseError">The server answered with an error status.</exception>
    /// <exception cref="HttpRequestException">The connection failed.</exception>
    public async Task<JsonObject> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        using var body = await GetBytesAsync(pathAndQuery, cancellationToken).ConfigureAwait(false);
        return JsonNode.Parse(body.Span) as JsonObject ?? throw new HttpRequestException($"GET {pathAndQuery} did not answer a JSON object.");
    }

    /// <summary>GETs a path and returns the body of a successful answer as it came, in a pooled buffer the caller disposes.</summary>
    public async Task<PooledBody> GetBytesAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var uri = new Uri(client.BaseUri.ToString().TrimEnd('/') + pathAndQuery);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd("application/json");
        if (client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new ApiResponseError(response.StatusCode, RetryAfterOf(response), await StatusMessageAsync(body, cancellationToken).ConfigureAwait(false));
        }

        return await PooledBody.ReadAsync(body, response.Content.Headers.ContentLength, cancellationToken).ConfigureAwait(false);
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };

    private static async Task<string> StatusMessageAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (JsonNode.Parse(text) is JsonObject status && status["message"]?.GetValue<string>() is { } message)
            {
                return message;
            }
        }
        catch (JsonException)
        {
            // Not a Status object (a proxy's HTML page, say): the text itself is the best message there is.
        }

        return text.Length > 300 ? text[..300] : text;
    }

    internal static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}
