using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using KubeBackup.Core.Cluster.Listing;

namespace KubeBackup.Core.Cluster.Api;

/// <summary>
/// Raw JSON requests through the client's own HttpClient and credentials. Discovery documents of arbitrary groups,
/// lists of arbitrary resources (CRDs included) and the creates and patches of a restore have no typed calls in
/// KubernetesClient, and typed models would drop unknown fields.
/// </summary>
internal sealed class KubeApi
{
    private readonly Kubernetes client;

    public KubeApi(IKubernetes client)
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
    public Task<PooledBody> GetBytesAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, pathAndQuery, null, null, cancellationToken);

    /// <summary>Sends a request with an optional JSON body (POST, PUT, PATCH with <paramref name="contentType"/>) and returns the answer's body.</summary>
    /// <exception cref="ApiResponseError">The server answered with an error status.</exception>
    public async Task<PooledBody> SendAsync(HttpMethod method, string pathAndQuery, ReadOnlyMemory<byte>? body, string? contentType, CancellationToken cancellationToken)
    {
        var uri = new Uri(client.BaseUri.ToString().TrimEnd('/') + pathAndQuery);
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Accept.ParseAdd("application/json");
        if (body is { } content)
        {
            request.Content = new ReadOnlyMemoryContent(content);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType ?? "application/json");
        }
        if (client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var (message, reason) = await StatusOfAsync(stream, cancellationToken).ConfigureAwait(false);
            throw new ApiResponseError(response.StatusCode, RetryAfterOf(response), message, reason);
        }

        return await PooledBody.ReadAsync(stream, response.Content.Headers.ContentLength, cancellationToken).ConfigureAwait(false);
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };

    /// <summary>The message and reason (AlreadyExists, Conflict, NotFound, ...) of the Status object an error answer carries.</summary>
    private static async Task<(string Message, string? Reason)> StatusOfAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (JsonNode.Parse(text) is JsonObject status && status["message"]?.GetValue<string>() is { } message)
            {
                return (message, status["reason"]?.GetValue<string>());
            }
        }
        catch (JsonException)
        {
            // Not a Status object (a proxy's HTML page, say): the text itself is the best message there is.
        }

        return (text.Length > 300 ? text[..300] : text, null);
    }

    internal static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}
