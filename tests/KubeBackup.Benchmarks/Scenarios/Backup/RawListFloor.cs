using System.Text.Json;
using k8s;
using KubeBackup.Core.Cluster.Discovery;

namespace KubeBackup.Benchmarks.Scenarios.Backup;

/// <summary>
/// The floor of a backup: paged LISTs (limit 500, continue tokens) of every type the backup lists, as many at a time as
/// the backup runs, each page read fully into a reused buffer. Nothing is parsed into objects; a forward-only token scan
/// counts the items and finds the continue token, which is all a client must read to go on.
/// </summary>
public static class RawListFloor
{
    public sealed record Result(TimeSpan Elapsed, long Objects, long Bytes, long Pages);

    public static async Task<Result> RunAsync(IKubernetes client, IReadOnlyList<ApiResource> types, int concurrency, int pageSize)
    {
        var kubernetes = (Kubernetes)client;
        long objects = 0, bytes = 0, pages = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(types, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (type, ct) =>
        {
            var buffer = new MemoryStream();
            string? next = null;
            do
            {
                var root = type.Group.Length == 0 ? $"/api/{type.Version}" : $"/apis/{type.Group}/{type.Version}";
                var query = $"?limit={pageSize}" + (next is null ? "" : "&continue=" + Uri.EscapeDataString(next));
                using var request = new HttpRequestMessage(HttpMethod.Get, kubernetes.BaseUri.ToString().TrimEnd('/') + root + "/" + type.Resource + query);
                request.Headers.Accept.ParseAdd("application/json");
                if (kubernetes.Credentials is { } credentials)
                {
                    await credentials.ProcessHttpRequestAsync(request, ct);
                }
                using var response = await kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                response.EnsureSuccessStatusCode();
                buffer.SetLength(0);
                await using (var body = await response.Content.ReadAsStreamAsync(ct))
                {
                    await body.CopyToAsync(buffer, ct);
                }
                var (items, token) = Scan(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
                Interlocked.Add(ref objects, items);
                Interlocked.Add(ref bytes, buffer.Length);
                Interlocked.Increment(ref pages);
                next = token;
            }
            while (next is not null);
        });
        return new Result(watch.Elapsed, objects, bytes, pages);
    }

    /// <summary>The number of elements of the top-level "items" array and metadata.continue (null when empty).</summary>
    private static (long Items, string? Continue) Scan(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        long items = 0;
        string? token = null;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("items"u8))
            {
                reader.Read();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items++;
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isContinue = reader.ValueTextEquals("continue"u8);
                    reader.Read();
                    if (isContinue && reader.TokenType == JsonTokenType.String)
                    {
                        token = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return (items, string.IsNullOrEmpty(token) ? null : token);
    }
}
