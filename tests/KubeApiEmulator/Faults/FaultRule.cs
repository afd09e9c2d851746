namespace KubeApiEmulator.Faults;

/// <summary>
/// When and how to fail a request. Unset filters match everything. A rule is identified by its instance: keep the
/// one you added to read its count or remove it.
/// </summary>
public sealed record FaultRule
{
    /// <summary>get, list, create, update, patch, delete, deletecollection or watch; null for any.</summary>
    public string? Verb { get; init; }

    /// <summary>Resource plural such as <c>pods</c>; null for any.</summary>
    public string? Resource { get; init; }

    /// <summary>Only requests in this namespace; null for any, cluster-scoped requests included.</summary>
    public string? Namespace { get; init; }

    /// <summary>Chance of failing a matching request, from 0 to 1.</summary>
    public double Probability { get; init; } = 1;

    /// <summary>Stop injecting after this many faults; null for no limit.</summary>
    public int? MaxCount { get; init; }

    public required FaultKind Kind { get; init; }

    /// <summary>The delay of a <see cref="FaultKind.Latency"/> fault.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Retry-After of a 429 or 503 answer; 0 leaves it out.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    public static FaultRule Throttle(string? verb = null, string? resource = null, double probability = 1, int retryAfterSeconds = 1, int? maxCount = null) =>
        new() { Kind = FaultKind.TooManyRequests, Verb = verb, Resource = resource, Probability = probability, RetryAfterSeconds = retryAfterSeconds, MaxCount = maxCount };

    public static FaultRule ServerError(string? verb = null, string? resource = null, double probability = 1, int? maxCount = null) =>
        new() { Kind = FaultKind.InternalError, Verb = verb, Resource = resource, Probability = probability, MaxCount = maxCount };

    public static FaultRule Unavailable(string? verb = null, string? resource = null, double probability = 1, int retryAfterSeconds = 1, int? maxCount = null) =>
        new() { Kind = FaultKind.ServiceUnavailable, Verb = verb, Resource = resource, Probability = probability, RetryAfterSeconds = retryAfterSeconds, MaxCount = maxCount };

    public static FaultRule Drop(string? verb = null, string? resource = null, double probability = 1, int? maxCount = null) =>
        new() { Kind = FaultKind.DropConnection, Verb = verb, Resource = resource, Probability = probability, MaxCount = maxCount };

    public static FaultRule Delay(TimeSpan latency, string? verb = null, string? resource = null, double probability = 1, int? maxCount = null) =>
        new() { Kind = FaultKind.Latency, Latency = latency, Verb = verb, Resource = resource, Probability = probability, MaxCount = maxCount };

    internal bool Matches(string verb, string resource, string? @namespace) =>
        (Verb is null || Verb.Equals(verb, StringComparison.OrdinalIgnoreCase))
        && (Resource is null || Resource.Equals(resource, StringComparison.OrdinalIgnoreCase))
        && (Namespace is null || Namespace.Equals(@namespace, StringComparison.Ordinal));
}
