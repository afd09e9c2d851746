namespace KubeApiEmulator.Faults;

public enum FaultKind
{
    /// <summary>Wait <see cref="FaultRule.Latency"/>, then let the request through.</summary>
    Latency,

    /// <summary>429 TooManyRequests with Retry-After, as API Priority and Fairness throttles.</summary>
    TooManyRequests,

    /// <summary>500 InternalError.</summary>
    InternalError,

    /// <summary>503 ServiceUnavailable with Retry-After, as an API server shutting down or an unready aggregated API.</summary>
    ServiceUnavailable,

    /// <summary>Abort the connection without an answer, as a crashed server or a broken load balancer does.</summary>
    DropConnection,
}
