using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using KubeBackup.Core.Cluster.Api;
using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;

namespace KubeBackup.Core.Cluster.Listing;

/// <summary>
/// Streams the objects of resource types as raw JSON, page by page, so memory holds one page per list however
/// large the cluster. Transient failures are retried per page (<see cref="RetryPolicy"/>); a type that keeps
/// failing ends with a <see cref="KbException"/> (<see cref="ErrorIds.ResourceListFailed"/>, or
/// <see cref="ErrorIds.ResourceListForbidden"/> on 403) naming it, so a backup can record it and go on.
/// </summary>
/// <remarks>
/// An expired continue token (410 Gone, the list took longer than the server keeps its snapshot) restarts the list
/// from the beginning, as Velero does, with a warning; objects up to the last one already returned are skipped, by
/// the server's order (namespace/name, as etcd keys sort), so none is returned twice. Such a list is no longer one
/// consistent snapshot, which the warning says.
/// </remarks>
public sealed class ResourceLister
{
    private const int ActivityId = 5100;

    private readonly KubeApi api;
    private readonly IOperationSink sink;

    public ResourceLister(IKubernetes client, IOperationSink? sink = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        api = new KubeApi(client);
        this.sink = sink ?? NullOperationSink.Instance;
    }

    /// <summary>The objects of one resource type, each with <c>apiVersion</c> and <c>kind</c> set and without <c>metadata.managedFields</c> (see <see cref="RawObject"/>).</summary>
    public async IAsyncEnumerable<JsonObject> ListAsync(ApiResource resource, ResourceListOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var raw in ListRawAsync(resource, options, cancellationToken).ConfigureAwait(false))
        {
            yield return raw.Parse();
        }
    }

    /// <summary>The objects of one resource type as bytes (<see cref="RawObject"/>): what a backup stores, without a tree per object.</summary>
    public async IAsyncEnumerable<RawObject> ListRawAsync(ApiResource resource, ResourceListOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        options ??= ResourceListOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1, nameof(options));
        var get = new RetryingApi(api, options.Retry);
        string? continueToken = null;
        string? lastKey = null;
        string? skipUpTo = null;
        var restarts = 0;
        var read = 0L;
        while (true)
        {
            var path = resource.ListPath(options.Namespace) + Query(options, continueToken);
            var page = await FetchPageAsync(get, resource, options, path, continueToken is not null && restarts < options.MaxRestarts, cancellationToken).ConfigureAwait(false);
            if (page is not { } fetched)
            {
                restarts++;
                skipUpTo = lastKey;
                continueToken = null;
                sink.Warning($"The list of {resource.FullName}{InNamespace(resource, options)} expired on the server (410 Gone) after {read} objects; listing again from the start (restart {restarts} of {options.MaxRestarts}). Objects changed meanwhile may be from a later state than the others.");
                continue;
            }

            foreach (var item in fetched.Items)
            {
                var key = $"{item.Namespace}/{item.Name}";
                if (skipUpTo is not null)
                {
                    if (string.CompareOrdinal(key, skipUpTo) <= 0)
                    {
                        continue;
                    }

                    skipUpTo = null;
                }

                lastKey = key;
                read++;
                if (options.SkipDeleting && item.Deleting)
                {
                    continue;
                }

                yield return item;
            }

            continueToken = fetched.Continue;
            if (string.IsNullOrEmpty(continueToken))
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Lists several resource types at once, at most <paramref name="maxConcurrency"/> at a time, yielding their
    /// objects as they arrive and, for a type whose list fails, one item with the failure. Progress reports the
    /// types done and the objects read. Stopping the enumeration early cancels the lists still running.
    /// </summary>
    public IAsyncEnumerable<ListedItem> ListManyAsync(IEnumerable<ApiResource> resources, int maxConcurrency, ResourceListOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var shared = options ?? ResourceListOptions.Default;
        return ListManyAsync(resources.Select(r => new ListRequest(r, shared)), maxConcurrency, cancellationToken);
    }

    /// <summary>Like the overload above, with options per list: one resource type in one namespace, say.</summary>
    public async IAsyncEnumerable<ListedItem> ListManyAsync(IEnumerable<ListRequest> requests, int maxConcurrency, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        var types = requests.ToList();
        var pageSize = types.Count == 0 ? ResourceListOptions.Default.PageSize : types.Max(t => t.Options.PageSize);
        const string Activity = "Listing cluster resources";
        // A page's worth of buffer keeps the lists busy while the consumer works, without holding more than that.
        var channel = Channel.CreateBounded<ListedItem>(new BoundedChannelOptions(Math.Max(pageSize, 64)) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var done = 0;
        long objects = 0;
        void Report(ListRequest finished) => sink.Progress(new OperationProgress(ActivityId, Activity,
            $"{Volatile.Read(ref done)} of {types.Count} lists, {Interlocked.Read(ref objects)} objects",
            types.Count == 0 ? 100 : (int)(100L * Volatile.Read(ref done) / types.Count), CurrentOperation: finished.ToString()));

        var producer = Task.Run(async () =>
        {
            try
            {
                await Parallel.ForEachAsync(types, new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = stop.Token }, async (request, token) =>
                {
                    var resource = request.Resource;
                    try
                    {
                        await foreach (var item in ListRawAsync(resource, request.Options, token).ConfigureAwait(false))
                        {
                            Interlocked.Increment(ref objects);
                            await channel.Writer.WriteAsync(new ListedItem(resource, item, null), token).ConfigureAwait(false);
                        }
                    }
                    catch (KbException e)
                    {
                        await channel.Writer.WriteAsync(new ListedItem(resource, null, e), token).ConfigureAwait(false);
                    }

                    Interlocked.Increment(ref done);
                    Report(request);
                }).ConfigureAwait(false);
                channel.Writer.TryComplete();
            }
            catch (Exception e)
            {
                channel.Writer.TryComplete(e);
            }
        }, CancellationToken.None);

        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }

            // The producer ends with the channel; its failure (cancellation included) arrives through ReadAllAsync.
            await producer.ConfigureAwait(false);
            sink.Progress(OperationProgress.Done(ActivityId, Activity));
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(false);
        }
    }

    /// <summary>One page cut into its objects, or null when its continue token expired and the list may restart.</summary>
    private async Task<(List<RawObject> Items, string? Continue)?> FetchPageAsync(RetryingApi get, ApiResource resource, ResourceListOptions options, string path, bool mayRestart, CancellationToken cancellationToken)
    {
        var retries = 0;
        try
        {
            using var body = await get.GetBytesAsync(path, (e, delay) =>
            {
                retries++;
                sink.Verbose($"Listing {resource.FullName}{InNamespace(resource, options)}: {RetryingApi.Describe(e)}; retry {retries} of {options.Retry.MaxRetries} in {delay.TotalSeconds:0.0} s.");
            }, cancellationToken).ConfigureAwait(false);
            return RawPage.Split(body.Span, resource);
        }
        catch (ApiResponseError e) when (e.StatusCode == HttpStatusCode.Gone && mayRestart)
        {
            return null;
        }
        catch (ApiResponseError e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new KbException(ErrorIds.ResourceListForbidden, KbErrorCategory.PermissionDenied, resource.FullName,
                $"Listing {resource.FullName}{InNamespace(resource, options)} is forbidden: {e.ServerMessage} Grant list on it to the identity that runs the backup, or exclude it.", e);
        }
        catch (Exception e) when (e is ApiResponseError or HttpRequestException or System.Text.Json.JsonException || RetryingApi.IsTransient(e, cancellationToken))
        {
            var gaveUp = RetryingApi.IsTransient(e, cancellationToken) ? $" (gave up after {retries} retries)" : "";
            throw new KbException(ErrorIds.ResourceListFailed,
                RetryingApi.IsTransient(e, cancellationToken) ? KbErrorCategory.ResourceUnavailable : KbErrorCategory.InvalidResult,
                resource.FullName,
                $"Listing {resource.FullName}{InNamespace(resource, options)} failed: {RetryingApi.Describe(e)}{gaveUp}.", e);
        }
    }

    private static string Query(ResourceListOptions options, string? continueToken)
    {
        var query = new StringBuilder("?limit=").Append(options.PageSize);
        Append(query, "labelSelector", options.LabelSelector);
        Append(query, "fieldSelector", options.FieldSelector);
        Append(query, "continue", continueToken);
        return query.ToString();

        static void Append(StringBuilder query, string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }
    }

    private static string InNamespace(ApiResource resource, ResourceListOptions options) =>
        !resource.Namespaced ? "" : string.IsNullOrEmpty(options.Namespace) ? " in all namespaces" : $" in namespace '{options.Namespace}'";
}
