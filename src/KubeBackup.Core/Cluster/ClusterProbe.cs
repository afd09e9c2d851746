using System.Diagnostics;
using System.Net;
using k8s;
using k8s.Autorest;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;

namespace KubeBackup.Core.Cluster;

/// <summary>
/// Asks the API server for its version: the cheapest call that proves the server is there, speaks
/// Kubernetes and accepts our credentials. Failures become <see cref="KbException"/>s with stable ids.
/// </summary>
public static class ClusterProbe
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    public static async Task<ClusterStatus> ProbeAsync(ClusterConnection connection, TimeSpan timeout, IOperationSink sink, CancellationToken cancellationToken)
    {
        const int activityId = 1;
        var activity = $"Connecting to {connection.ContextName}";
        sink.Progress(new OperationProgress(activityId, activity, $"GET {connection.Server}/version"));
        sink.Verbose($"Context '{connection.ContextName}' from {connection.Source}: server {connection.Server}.");

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        using var client = connection.CreateClient();
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var version = await client.Version.GetCodeAsync(timeoutSource.Token).ConfigureAwait(false);
            stopwatch.Stop();
            return new ClusterStatus(connection.ContextName, connection.Server, true, version.GitVersion, version.Platform, stopwatch.Elapsed,
                $"Kubernetes {version.GitVersion} answered in {stopwatch.Elapsed.TotalMilliseconds:0} ms.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable(connection, $"did not answer within {timeout.TotalSeconds:0.#} s", null);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(connection, e.InnerException?.Message ?? e.Message, e);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new KbException(ErrorIds.ClusterUnauthorized, KbErrorCategory.AuthenticationError, connection.ContextName,
                $"The API server of context '{connection.ContextName}' ({connection.Server}) refused the credentials: {(int)e.Response.StatusCode} {e.Response.StatusCode}.", e);
        }
        catch (HttpOperationException e)
        {
            throw new KbException(ErrorIds.ClusterRequestFailed, KbErrorCategory.InvalidResult, connection.ContextName,
                $"The API server of context '{connection.ContextName}' ({connection.Server}) answered GET /version with {(int)e.Response.StatusCode} {e.Response.StatusCode}.", e);
        }
        finally
        {
            sink.Progress(OperationProgress.Done(activityId, activity));
        }
    }

    private static KbException Unreachable(ClusterConnection connection, string reason, Exception? inner) =>
        new(ErrorIds.ClusterUnreachable, KbErrorCategory.ConnectionError, connection.Server,
            $"Cannot reach the API server of context '{connection.ContextName}' at {connection.Server}: {reason}.", inner);
}
