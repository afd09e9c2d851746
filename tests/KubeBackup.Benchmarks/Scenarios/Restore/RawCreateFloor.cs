using System.Diagnostics;
using System.Net.Http.Headers;
using k8s;

namespace KubeBackup.Benchmarks.Scenarios.Restore;

/// <summary>
/// The floor of a restore: the objects it creates POSTed straight with the client's HttpClient, a tier at a time in the
/// restore's order (CRDs, namespaces first), as many at a time as the restore creates. Nothing is read back or compared;
/// every create must succeed.
/// </summary>
public static class RawCreateFloor
{
    public static readonly int Concurrency = new KubeBackup.Core.Restore.RestoreRunOptions().MaxConcurrentItems;

    public sealed record Result(TimeSpan Elapsed, long Objects, long Bytes);

    public static async Task<Result> RunAsync(IKubernetes client, IReadOnlyList<IReadOnlyList<CreateRequest>> tiers)
    {
        var kubernetes = (Kubernetes)client;
        long objects = 0, bytes = 0;
        var watch = Stopwatch.StartNew();
        foreach (var tier in tiers)
        {
            await Parallel.ForEachAsync(tier, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (create, ct) =>
            {
                var (status, body) = await SendAsync(kubernetes, HttpMethod.Post, create.Path, create.Body, ct);
                if (status is < 200 or >= 300)
                {
                    throw new InvalidOperationException($"POST {create.Path} answered {status}: {body}");
                }
                Interlocked.Increment(ref objects);
                Interlocked.Add(ref bytes, create.Body.Length);
            });
        }
        return new Result(watch.Elapsed, objects, bytes);
    }

    /// <summary>One request with the client's HttpClient and credentials; the status and, when it failed, the body.</summary>
    public static async Task<(int Status, string Body)> SendAsync(Kubernetes kubernetes, HttpMethod method, string path, byte[]? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, kubernetes.BaseUri.ToString().TrimEnd('/') + path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        request.Headers.Accept.ParseAdd("application/json");
        if (kubernetes.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, ct);
        }
        using var response = await kubernetes.HttpClient.SendAsync(request, ct);
        return ((int)response.StatusCode, response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync(ct));
    }
}
