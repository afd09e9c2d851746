using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace KubeApiEmulator.Hosting;

/// <summary>
/// Measures what benchmarks must never notice: single-client create rate and a paged list of 10,000 objects,
/// over real HTTP on loopback.
/// </summary>
public static class SpeedSelfTest
{
    public sealed record Figures(int Creates, TimeSpan CreateTime, int Listed, int Pages, TimeSpan ListTime, int Gets, TimeSpan GetTime,
        int DirectCreates, TimeSpan DirectCreateTime)
    {
        public double DirectCreatesPerSecond => DirectCreates / DirectCreateTime.TotalSeconds;
        public double CreatesPerSecond => Creates / CreateTime.TotalSeconds;
        public double GetsPerSecond => Gets / GetTime.TotalSeconds;
    }

    public static async Task<Figures> MeasureAsync(int creates = 2000, int listed = 10_000, int pageSize = 500)
    {
        var options = new EmulatorOptions();
        options.Controllers.SetAll(false);
        await using var server = await EmulatorServer.StartAsync(options);
        using var http = new HttpClient { BaseAddress = server.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        await Create(http, "speed-warmup", 0, labelled: false);

        var data = new string('x', 2048);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < creates; i++)
            await Create(http, $"speed-{i:D6}", i, data);
        var createTime = watch.Elapsed;

        watch.Restart();
        for (var i = 0; i < creates; i++)
        {
            using var got = await http.GetAsync("/api/v1/namespaces/default/configmaps/speed-000000");
            got.EnsureSuccessStatusCode();
        }
        var getTime = watch.Elapsed;

        watch.Restart();
        for (var i = creates; i < listed; i++)
            server.Cluster.Create(ConfigMap($"speed-{i:D6}", data));
        var directTime = watch.Elapsed;

        watch.Restart();
        var count = 0;
        var pages = 0;
        string? next = null;
        do
        {
            var url = $"/api/v1/namespaces/default/configmaps?limit={pageSize}&labelSelector=speed%3Dtrue"
                + (next is null ? "" : "&continue=" + Uri.EscapeDataString(next));
            using var response = await http.GetAsync(url);
            response.EnsureSuccessStatusCode();
            var list = JsonNode.Parse(await response.Content.ReadAsStreamAsync())!;
            count += list["items"]!.AsArray().Count;
            next = (string?)list["metadata"]?["continue"];
            pages++;
        }
        while (!string.IsNullOrEmpty(next));
        return new Figures(creates, createTime, count, pages, watch.Elapsed, creates, getTime, listed - creates, directTime);
    }

    public static async Task RunAsync(TextWriter output)
    {
        var f = await MeasureAsync();
        output.WriteLine($"creates: {f.Creates} in {f.CreateTime.TotalMilliseconds:F0} ms = {f.CreatesPerSecond:F0}/s (single client, HTTP, 2 KB config maps)");
        output.WriteLine($"gets: {f.Gets} in {f.GetTime.TotalMilliseconds:F0} ms = {f.GetsPerSecond:F0}/s (same client, for the HTTP round-trip baseline)");
        output.WriteLine($"creates without HTTP: {f.DirectCreates} in {f.DirectCreateTime.TotalMilliseconds:F0} ms = {f.DirectCreatesPerSecond:F0}/s (the server-side cost)");
        output.WriteLine($"paged list: {f.Listed} objects in {f.Pages} pages of 500 in {f.ListTime.TotalMilliseconds:F0} ms");
    }

    private static async Task Create(HttpClient http, string name, int i, string data = "", bool labelled = true)
    {
        var cm = ConfigMap(name, data);
        if (!labelled)
            cm.Metadata().Remove("labels");
        var body = cm.ToJsonString();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/api/v1/namespaces/default/configmaps", content);
        if ((int)response.StatusCode != 201)
            throw new InvalidOperationException($"create {i} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static JsonObject ConfigMap(string name, string data) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["labels"] = new JsonObject { ["speed"] = "true" } },
        ["data"] = new JsonObject { ["payload"] = data },
    };
}
