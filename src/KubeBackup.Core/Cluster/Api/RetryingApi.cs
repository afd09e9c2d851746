using System.Net;
using System.Text.Json.Nodes;
using KubeBackup.Core.Cluster.Listing;

namespace KubeBackup.Core.Cluster.Api;

/// <summary>
/// <see cref="KubeApi"/> with the <see cref="RetryPolicy"/>: throttling (429), server errors (500, 502, 503, 504),
/// dropped connections and client-side timeouts are retried; anything else, and the last failure, is thrown.
/// </summary>
internal sealed class RetryingApi(KubeApi api, RetryPolicy policy)
{
    /// <param name="onRetry">Told about each failure that will be retried, with the wait before the retry.</param>
    public Task<JsonObject> GetAsync(string pathAndQuery, Action<Exception, TimeSpan>? onRetry, CancellationToken cancellationToken) =>
        RetryAsync(token => api.GetAsync(pathAndQuery, token), onRetry, cancellationToken);

    /// <summary>The body as bytes, for callers that read it without building a document (list pages).</summary>
    public Task<PooledBody> GetBytesAsync(string pathAndQuery, Action<Exception, TimeSpan>? onRetry, CancellationToken cancellationToken) =>
        RetryAsync(token => api.GetBytesAsync(pathAndQuery, token), onRetry, cancellationToken);

    /// <summary>A write (POST, PUT, PATCH) or a GET, retried like a GET: a create whose answer was lost comes back as AlreadyExists, which callers handle.</summary>
    public Task<PooledBody> SendAsync(HttpMethod method, string pathAndQuery, ReadOnlyMemory<byte>? body, string? contentType, Action<Exception, TimeSpan>? onRetry, CancellationToken cancellationToken) =>
        RetryAsync(token => api.SendAsync(method, pathAndQuery, body, contentType, token), onRetry, cancellationToken);

    private async Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> get, Action<Exception, TimeSpan>? onRetry, CancellationToken cancellationToken)
    {
        for (var retry = 1; ; retry++)
        {
            try
            {
                return await get(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (retry <= policy.MaxRetries && IsTransient(e, cancellationToken))
            {
                var delay = policy.DelayFor(retry, (e as ApiResponseError)?.RetryAfter);
                onRetry?.Invoke(e, delay);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    internal static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        ApiResponseError api => KubeApi.IsTransient(api.StatusCode),
        HttpRequestException => true,
        System.IO.IOException => true,
        // HttpClient's own timeout surfaces as a cancellation the caller did not ask for.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    internal static string Describe(Exception e) => e switch
    {
        ApiResponseError api => $"{(int)api.StatusCode} {Reason(api.StatusCode)}: {api.ServerMessage}",
        OperationCanceledException => "the request timed out",
        _ => e.Message,
    };

    private static string Reason(HttpStatusCode status) => status switch
    {
        HttpStatusCode.TooManyRequests => "TooManyRequests",
        HttpStatusCode.InternalServerError => "InternalError",
        _ => status.ToString(),
    };
}
