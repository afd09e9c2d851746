using System.Diagnostics;
using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using KubeApiEmulator.Faults;
using KubeApiEmulator.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace KubeApiEmulator.Tests;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task The_same_seed_makes_the_same_decisions()
    {
        var first = await DecisionsAsync(seed: 42, 300);
        var second = await DecisionsAsync(seed: 42, 300);
        var other = await DecisionsAsync(seed: 43, 300);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task Probability_sets_the_share_of_failed_requests()
    {
        var decisions = await DecisionsAsync(seed: 7, 2000, probability: 0.25);

        var failed = decisions.Count(failedRequest => failedRequest);
        Assert.InRange(failed, 400, 600);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 50)]
    public async Task Probability_zero_never_fails_and_one_always_does(double probability, int expected)
    {
        var decisions = await DecisionsAsync(seed: 1, 50, probability);

        Assert.Equal(expected, decisions.Count(failedRequest => failedRequest));
    }

    [Fact]
    public async Task MaxCount_stops_injecting_after_that_many_faults()
    {
        var injector = new FaultInjector(5);
        var rule = injector.Add(FaultRule.ServerError("list", "secrets", maxCount: 3));

        var decisions = new List<bool>();
        for (var i = 0; i < 6; i++)
        {
            decisions.Add(await injector.TryInjectAsync(NewContext(), "list", "secrets"));
        }

        Assert.Equal([true, true, true, false, false, false], decisions);
        Assert.Equal(3, injector.InjectedCount(rule));
        Assert.Equal(3, injector.TotalInjected);
    }

    [Fact]
    public async Task Rules_match_by_verb_resource_and_namespace()
    {
        var injector = new FaultInjector(5);
        var secrets = injector.Add(FaultRule.Throttle("list", "secrets") with { Namespace = "prod" });

        Assert.False(await injector.TryInjectAsync(NewContext("/api/v1/namespaces/prod/secrets/a"), "get", "secrets"));
        Assert.False(await injector.TryInjectAsync(NewContext("/api/v1/namespaces/prod/configmaps"), "list", "configmaps"));
        Assert.False(await injector.TryInjectAsync(NewContext("/api/v1/namespaces/dev/secrets"), "list", "secrets"));
        Assert.False(await injector.TryInjectAsync(NewContext("/api/v1/secrets"), "list", "secrets"));
        Assert.True(await injector.TryInjectAsync(NewContext("/api/v1/namespaces/prod/secrets"), "LIST", "secrets"));
        Assert.True(await injector.TryInjectAsync(NewContext("/"), "list", "secrets", "prod"));
        Assert.Equal(2, injector.InjectedCount(secrets));
    }

    [Fact]
    public async Task A_rule_without_filters_matches_every_request()
    {
        var injector = new FaultInjector(5);
        injector.Add(new FaultRule { Kind = FaultKind.ServiceUnavailable });

        Assert.True(await injector.TryInjectAsync(NewContext(), "watch", "deployments"));
        Assert.True(await injector.TryInjectAsync(NewContext("/api/v1/nodes"), "deletecollection", "nodes"));
    }

    [Fact]
    public async Task Throttling_answers_with_a_Status_and_Retry_After()
    {
        var injector = new FaultInjector(5);
        injector.Add(FaultRule.Throttle(retryAfterSeconds: 4));
        var context = NewContext();

        Assert.True(await injector.TryInjectAsync(context, "list", "secrets"));

        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("4", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("application/json", context.Response.ContentType);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","details":{"retryAfterSeconds":4},"code":429}""",
            Body(context));
    }

    [Fact]
    public async Task The_client_sees_429_as_HttpOperationException_with_the_Status()
    {
        await using var host = await MiniHost.StartAsync();
        using var client = host.CreateClient();
        var rule = host.Faults.Add(FaultRule.Throttle("list", "secrets", retryAfterSeconds: 7, maxCount: 1));

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.ListNamespacedSecretAsync("prod"));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.Response.StatusCode);
        Assert.Equal(["7"], error.Response.Headers["Retry-After"]);
        using var status = JsonDocument.Parse(error.Response.Content);
        Assert.Equal("Status", status.RootElement.GetProperty("kind").GetString());
        Assert.Equal("TooManyRequests", status.RootElement.GetProperty("reason").GetString());
        Assert.Equal(7, status.RootElement.GetProperty("details").GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal(429, status.RootElement.GetProperty("code").GetInt32());

        var secrets = await client.ListNamespacedSecretAsync("prod");
        Assert.Empty(secrets.Items);
        Assert.Equal(1, host.Faults.InjectedCount(rule));
    }

    [Theory]
    [InlineData(FaultKind.InternalError, HttpStatusCode.InternalServerError, "InternalError")]
    [InlineData(FaultKind.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, "ServiceUnavailable")]
    public async Task The_client_sees_server_errors_with_their_Status(FaultKind kind, HttpStatusCode code, string reason)
    {
        await using var host = await MiniHost.StartAsync();
        using var client = host.CreateClient();
        host.Faults.Add(new FaultRule { Kind = kind, Verb = "get", Resource = "configmaps" });

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.ReadNamespacedConfigMapAsync("settings", "prod"));

        Assert.Equal(code, error.Response.StatusCode);
        using var status = JsonDocument.Parse(error.Response.Content);
        Assert.Equal("Failure", status.RootElement.GetProperty("status").GetString());
        Assert.Equal(reason, status.RootElement.GetProperty("reason").GetString());
        Assert.Equal((int)code, status.RootElement.GetProperty("code").GetInt32());
        Assert.Equal(kind == FaultKind.ServiceUnavailable, error.Response.Headers.ContainsKey("Retry-After"));
    }

    [Fact]
    public async Task A_dropped_connection_reaches_the_client_as_a_transport_error()
    {
        await using var host = await MiniHost.StartAsync();
        using var client = host.CreateClient();
        host.Faults.Add(FaultRule.Drop("get", "configmaps", maxCount: 1));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => client.ReadNamespacedConfigMapAsync("settings", "prod"));

        Assert.True(error is HttpRequestException or IOException, $"expected a transport error, got {error}");
        var configMap = await client.ReadNamespacedConfigMapAsync("settings", "prod");
        Assert.Equal("settings", configMap.Metadata.Name);
    }

    [Fact]
    public async Task Latency_delays_the_request_then_lets_it_through()
    {
        await using var host = await MiniHost.StartAsync();
        using var client = host.CreateClient();
        await client.ReadNamespacedConfigMapAsync("warm-up", "prod");
        host.Faults.Add(FaultRule.Delay(TimeSpan.FromMilliseconds(400), "get", "configmaps"));

        var watch = Stopwatch.StartNew();
        var configMap = await client.ReadNamespacedConfigMapAsync("settings", "prod");

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(390), $"took {watch.Elapsed}");
        Assert.Equal("settings", configMap.Metadata.Name);
    }

    [Fact]
    public async Task Latency_is_followed_by_the_next_matching_fault()
    {
        var injector = new FaultInjector(5);
        var delay = injector.Add(FaultRule.Delay(TimeSpan.FromMilliseconds(50)));
        var throttle = injector.Add(FaultRule.Throttle());
        var context = NewContext();

        Assert.True(await injector.TryInjectAsync(context, "list", "pods"));

        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal(1, injector.InjectedCount(delay));
        Assert.Equal(1, injector.InjectedCount(throttle));
    }

    [Fact]
    public async Task Latency_ends_when_the_client_gives_up()
    {
        var injector = new FaultInjector(5);
        injector.Add(FaultRule.Delay(TimeSpan.FromMinutes(5)));
        using var aborted = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var context = NewContext();
        context.RequestAborted = aborted.Token;

        var answered = await injector.TryInjectAsync(context, "get", "pods").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(answered);
    }

    [Fact]
    public async Task Removed_and_cleared_rules_stop_injecting()
    {
        var injector = new FaultInjector(5);
        var first = injector.Add(FaultRule.ServerError("get"));
        var second = injector.Add(FaultRule.Unavailable("list"));

        Assert.True(injector.Remove(first));
        Assert.Equal([second], injector.Rules);
        Assert.False(await injector.TryInjectAsync(NewContext(), "get", "pods"));
        Assert.True(await injector.TryInjectAsync(NewContext(), "list", "pods"));

        injector.Clear();
        Assert.Empty(injector.Rules);
        Assert.False(await injector.TryInjectAsync(NewContext(), "list", "pods"));
    }

    [Fact]
    public void Invalid_rules_are_refused()
    {
        var injector = new FaultInjector(5);
        var rule = FaultRule.Throttle();
        injector.Add(rule);

        Assert.Throws<ArgumentOutOfRangeException>(() => injector.Add(FaultRule.Throttle(probability: 1.5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => injector.Add(FaultRule.Throttle(retryAfterSeconds: -1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => injector.Add(FaultRule.Delay(TimeSpan.FromSeconds(-1))));
        Assert.Throws<ArgumentOutOfRangeException>(() => injector.Add(FaultRule.Drop(maxCount: -2)));
        Assert.Throws<ArgumentException>(() => injector.Add(rule));
    }

    [Fact]
    public async Task Concurrent_requests_are_counted_exactly()
    {
        var injector = new FaultInjector(9);
        var rule = injector.Add(FaultRule.ServerError(maxCount: 100));

        var decisions = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => Task.Run(() => injector.TryInjectAsync(NewContext(), "get", "pods"))));

        Assert.Equal(100, decisions.Count(failedRequest => failedRequest));
        Assert.Equal(100, injector.InjectedCount(rule));
    }

    private static async Task<List<bool>> DecisionsAsync(int seed, int requests, double probability = 0.5)
    {
        var injector = new FaultInjector(seed);
        injector.Add(FaultRule.Throttle("list", "secrets", probability));
        var decisions = new List<bool>();
        for (var i = 0; i < requests; i++)
        {
            decisions.Add(await injector.TryInjectAsync(NewContext(), "list", "secrets"));
        }

        return decisions;
    }

    private static DefaultHttpContext NewContext(string path = "/api/v1/namespaces/prod/secrets")
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string Body(HttpContext context) =>
        System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
}
