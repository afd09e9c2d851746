using System.Net;
using System.Text;
using k8s;
using KubeApiEmulator;
using KubeBackup.Core.Cluster;
using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Cluster.Listing;

namespace KubeBackup.Core.Tests.Cluster.Discovery;

/// <summary>
/// Discovery answers the emulator cannot give (an aggregated API down, a resource without list), substituted by a
/// handler in the client's pipeline.
/// </summary>
public sealed class ApiDiscoveryFaultTests
{
    private static readonly RetryPolicy FastRetry = new() { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task AGroupThatIsDownIsSkippedWithAWarningNamingIt()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var answers = new Substitutes { ["/apis/batch/v1"] = () => Answer(HttpStatusCode.ServiceUnavailable, """{"kind":"Status","message":"the server is currently unable to handle the request"}""") };
        var sink = new RecordingSink();

        var discovered = await ApiDiscovery.DiscoverAsync(Connect(emulator, answers), sink, FastRetry, CancellationToken.None);

        var failed = Assert.Single(discovered.FailedGroups);
        Assert.Equal("batch/v1", failed.GroupVersion);
        Assert.Contains("503", failed.Reason, StringComparison.Ordinal);
        Assert.Contains(sink.Warnings, w => w.Contains("batch/v1", StringComparison.Ordinal));
        Assert.DoesNotContain(discovered.All, r => r.Group == "batch");
        Assert.Contains(discovered.All, r => r.FullName == "deployments.apps");
        Assert.Equal(3, answers.Served);
    }

    [Fact]
    public async Task TransientFailuresOfTheCoreGroupAreRetried()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var answers = new Substitutes { ["/api/v1"] = () => Answer(HttpStatusCode.TooManyRequests, "{}") };
        answers.Limit = 2;

        var discovered = await ApiDiscovery.DiscoverAsync(Connect(emulator, answers), new RecordingSink(), FastRetry, CancellationToken.None);

        Assert.Contains(discovered.BackupCandidates, r => r.FullName == "configmaps");
        Assert.Equal(2, answers.Served);
    }

    [Fact]
    public async Task AResourceWithoutListIsKnownButNotABackupCandidate()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var answers = new Substitutes
        {
            ["/apis/batch/v1"] = () => Answer(HttpStatusCode.OK, """
                {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"batch/v1","resources":[
                  {"name":"jobs","singularName":"job","namespaced":true,"kind":"Job","verbs":["create","delete","get","list","patch","update","watch"]},
                  {"name":"jobs/status","singularName":"","namespaced":true,"kind":"Job","verbs":["get","patch","update"]},
                  {"name":"jobreviews","singularName":"jobreview","namespaced":false,"kind":"JobReview","verbs":["create"]}]}
                """),
        };

        var discovered = await ApiDiscovery.DiscoverAsync(Connect(emulator, answers), new RecordingSink(), FastRetry, CancellationToken.None);

        var reviews = Assert.Single(discovered.Skipped, r => r.FullName == "jobreviews.batch");
        Assert.Contains("not listable", reviews.SkipReason, StringComparison.Ordinal);
        Assert.Equal("jobreviews.batch", discovered.Resolve("JobReview").FullName);
        Assert.Single(discovered.BackupCandidates, r => r.Group == "batch");
    }

    [Fact]
    public async Task ThePreferredVersionIsTakenEvenWhenNotListedFirst()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var answers = new Substitutes
        {
            ["/apis"] = () => Answer(HttpStatusCode.OK, """
                {"kind":"APIGroupList","apiVersion":"v1","groups":[
                  {"name":"apps","versions":[{"groupVersion":"apps/v1beta2","version":"v1beta2"},{"groupVersion":"apps/v1","version":"v1"}],
                   "preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}]}
                """),
        };

        var discovered = await ApiDiscovery.DiscoverAsync(Connect(emulator, answers), new RecordingSink(), FastRetry, CancellationToken.None);

        Assert.Empty(discovered.FailedGroups);
        Assert.Equal("apps/v1", discovered.Resolve("deployments").ApiVersion);
        Assert.Equal(["", "apps"], discovered.All.Select(r => r.Group).Distinct());
    }

    private static IKubernetes Connect(EmulatorServer emulator, Substitutes answers)
    {
        var connection = ClusterConnection.Open(new(emulator.KubeconfigYaml), new ClusterEnvironment(null, Path.GetTempPath(), null, null, "/nonexistent"), Path.GetTempPath());
        return new Kubernetes(connection.Configuration, answers);
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>Answers GETs of the given paths itself (up to <see cref="Limit"/> times); passes the rest on.</summary>
    private sealed class Substitutes : DelegatingHandler, System.Collections.IEnumerable
    {
        private readonly Dictionary<string, Func<HttpResponseMessage>> answers = new(StringComparer.Ordinal);
        private int requested;
        private int served;

        public int Limit { get; set; } = int.MaxValue;

        public int Served => Volatile.Read(ref served);

        public Func<HttpResponseMessage> this[string path]
        {
            set => answers[path] = value;
        }

        public System.Collections.IEnumerator GetEnumerator() => answers.GetEnumerator();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (answers.TryGetValue(request.RequestUri!.AbsolutePath, out var answer) && Interlocked.Increment(ref requested) <= Limit)
            {
                Interlocked.Increment(ref served);
                return Task.FromResult(answer());
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
