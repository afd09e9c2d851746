using Microsoft.AspNetCore.Http;

namespace KubeApiEmulator.Hosting;

/// <summary>
/// The two extension points of the request pipeline: fault injection (called for every resource request after
/// it is parsed, with verb, resource and namespace; returning true means the response is written) and pod exec
/// (called for /api/v1/namespaces/{ns}/pods/{name}/exec once the pod is known to exist, with the pod's first
/// container as the default). EmulatorServer wires its Faults and Exec here; tests may replace them.
/// </summary>
public sealed class RequestHooks
{
    public Func<HttpContext, string, string, string?, Task<bool>>? Intercept { get; set; }

    public Func<HttpContext, string, string, string?, Task>? Exec { get; set; }
}
