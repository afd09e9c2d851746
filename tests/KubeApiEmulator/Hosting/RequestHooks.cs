using Microsoft.AspNetCore.Http;

namespace KubeApiEmulator.Hosting;

/// <summary>
/// The two extension points of the request pipeline: fault injection (called for every resource request after
/// it is parsed; returning true means the response is written) and pod exec (called for
/// /api/v1/namespaces/{ns}/pods/{name}/exec once the pod is known to exist).
/// </summary>
public sealed class RequestHooks
{
    public Func<HttpContext, string, string, Task<bool>>? Intercept { get; set; }

    public Func<HttpContext, string, string, Task>? Exec { get; set; }
}
