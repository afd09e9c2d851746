using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace KubeApiEmulator.Tests;

/// <summary>An emulator started for one test, with a real KubernetesClient configured from its kubeconfig.</summary>
public sealed class TestCluster : IAsyncDisposable
{
    private TestCluster(EmulatorServer server, Kubernetes client)
    {
        Server = server;
        Client = client;
    }

    public EmulatorServer Server { get; }
    public Kubernetes Client { get; }

    public static async Task<TestCluster> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions();
        configure?.Invoke(options);
        var server = await EmulatorServer.StartAsync(options);
        using var kubeconfig = new MemoryStream(Encoding.UTF8.GetBytes(server.KubeconfigYaml));
        var config = await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(kubeconfig);
        return new TestCluster(server, new Kubernetes(config));
    }

    /// <summary>The Status a failed call returned.</summary>
    public static async Task<(HttpStatusCode Code, JsonObject Status)> FailureOf(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(call);
        var status = JsonNode.Parse(e.Response.Content)!.AsObject();
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("v1", (string?)status["apiVersion"]);
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal((int)e.Response.StatusCode, (int)status["code"]!);
        return (e.Response.StatusCode, status);
    }

    /// <summary>Polls until the condition holds; controllers run in the background.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, int timeoutMs = 5000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return;
            await Task.Delay(20);
        }
        Assert.Fail($"timed out waiting for {what}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
