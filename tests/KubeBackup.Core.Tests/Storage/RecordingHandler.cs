using System.Collections.Concurrent;

namespace KubeBackup.Core.Tests.Storage;

/// <summary>Records the shape (method, URL, headers) of every request a provider sends, as it goes on the wire.</summary>
internal sealed class RecordingHandler : DelegatingHandler
{
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Raised after a request is recorded, before it is sent.</summary>
    public event Action? Sent;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        Requests.Enqueue(new RecordedRequest(request.Method.Method, request.RequestUri!, headers));
        Sent?.Invoke();
        return base.SendAsync(request, cancellationToken);
    }
}

internal sealed record RecordedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers)
{
    public bool IsAwsChunked =>
        Headers.GetValueOrDefault("Content-Encoding")?.Contains("aws-chunked", StringComparison.OrdinalIgnoreCase) == true
        || Headers.GetValueOrDefault("x-amz-content-sha256")?.StartsWith("STREAMING-", StringComparison.Ordinal) == true;
}
