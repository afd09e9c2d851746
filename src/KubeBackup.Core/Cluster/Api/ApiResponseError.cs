using System.Net;

namespace KubeBackup.Core.Cluster.Api;

/// <summary>
/// A non-success answer of the API server, kept raw (status, Retry-After, the Status message) so the retry
/// policy and the callers decide what it means.
/// </summary>
public sealed class ApiResponseError(HttpStatusCode statusCode, TimeSpan? retryAfter, string message, string? reason = null)
    : Exception($"{(int)statusCode} {statusCode}: {message}")
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    public TimeSpan? RetryAfter { get; } = retryAfter;

    public string ServerMessage { get; } = message;

    /// <summary>The Status reason: AlreadyExists, Conflict, NotFound, Forbidden, Invalid, NamespaceTerminating...; null when the answer had none.</summary>
    public string? Reason { get; } = reason;
}
