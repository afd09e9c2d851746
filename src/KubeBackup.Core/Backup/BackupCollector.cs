using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using KubeBackup.Core.Cluster.Api;
using KubeBackup.Core.Backup.Hooks;
using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Cluster.Listing;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Backup;

/// <summary>
/// Streams the objects a backup takes to a consumer, concurrently and without holding them: pods first (each after its
/// pre hooks), then every other type, then the cluster-scoped objects the namespaced ones need, then the namespaces;
/// post hooks last, even when something failed. A type whose list fails is an error naming it; the rest goes on.
/// </summary>
internal sealed class BackupCollector(IKubernetes client, BackupScope scope, BackupJournal journal, BackupRunOptions options)
{
    /// <summary>Takes one object: its key and its JSON as stored (apiVersion and kind first, no managedFields).</summary>
    public delegate ValueTask ItemConsumer(ApiResource type, ItemKey key, ReadOnlyMemory<byte> json, CancellationToken cancellationToken);

    private readonly ConcurrentDictionary<string, byte> _namespacesWithItems = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _volumes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _customTypes = new(StringComparer.Ordinal);
    private long _selected;

    /// <summary>Objects chosen for the backup, those whose hooks failed included.</summary>
    public long Selected => Interlocked.Read(ref _selected);

    /// <param name="snapshots">With -SnapshotVolumes: run after the pods (and their pre hooks), before every other type, so
    /// the snapshots are taken while applications are quiesced and the VolumeSnapshot objects are backed up ready.</param>
    public async Task CollectAsync(ItemConsumer consume, BackupHookRunner? hooks, CancellationToken cancellationToken, VolumeSnapshotStep? snapshots = null)
    {
        var lister = new ResourceLister(client, journal);
        var listOptions = new ResourceListOptions { PageSize = options.PageSize, Retry = options.ListRetry };
        var pods = scope.NamespacedTypes.FirstOrDefault(t => t.FullName == "pods");
        var postHookPods = new ConcurrentQueue<JsonObject>();
        try
        {
            if (pods is not null)
            {
                await ProcessAsync(lister.ListManyAsync(scope.Lists([pods], [], listOptions), options.MaxConcurrentLists, cancellationToken),
                    hooks is null ? consume : WithPreHooks(consume, hooks, postHookPods), hooks is null ? options.MaxConcurrentItems : options.MaxConcurrentHooks, cancellationToken).ConfigureAwait(false);
            }
            if (snapshots is not null)
            {
                await snapshots.RunAsync(scope, cancellationToken).ConfigureAwait(false);
            }
            var others = scope.NamespacedTypes.Where(t => !ReferenceEquals(t, pods));
            await ProcessAsync(lister.ListManyAsync(scope.Lists(others, scope.ClusterTypes, listOptions), options.MaxConcurrentLists, cancellationToken),
                consume, options.MaxConcurrentItems, cancellationToken).ConfigureAwait(false);
            if (scope.TakeRelatedClusterItems)
            {
                await TakeRelatedAsync(consume, cancellationToken).ConfigureAwait(false);
            }
            await TakeNamespacesAsync(consume, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (hooks is not null && !postHookPods.IsEmpty)
            {
                await RunPostHooksAsync(hooks, postHookPods, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ProcessAsync(IAsyncEnumerable<ListedItem> listed, ItemConsumer consume, int concurrency, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(listed, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (listedItem, token) =>
        {
            if (listedItem.Failure is { } failure)
            {
                journal.Error(listedItem.Resource.FullName, $"Not backed up: {failure.Message}");
                return;
            }
            var raw = listedItem.Raw!;
            if (!scope.InScope(raw.Namespace) || !scope.MatchesSelectors(raw.Labels))
            {
                return;
            }
            var type = listedItem.Resource;
            if (type.FullName == "persistentvolumeclaims" && (string?)raw.Parse()["spec"]?["volumeName"] is { Length: > 0 } volume)
            {
                _volumes.TryAdd(volume, 0);
            }
            await TakeAsync(consume, type, raw.Namespace, raw.Name, raw.Json, token).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>An object read whole (a namespace, a related volume or definition): stored like a listed one.</summary>
    private ValueTask TakeAsync(ItemConsumer consume, ApiResource type, JsonObject item, CancellationToken cancellationToken)
    {
        var metadata = item["metadata"] as JsonObject;
        metadata?.Remove("managedFields");
        return TakeAsync(consume, type, type.Namespaced ? (string?)metadata?["namespace"] : null, (string?)metadata?["name"] ?? "",
            JsonSerializer.SerializeToUtf8Bytes(item), cancellationToken);
    }

    private ValueTask TakeAsync(ItemConsumer consume, ApiResource type, string? ns, string name, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _selected);
        if (ns is not null)
        {
            _namespacesWithItems.TryAdd(ns, 0);
            if (IsPossiblyCustom(type))
            {
                _customTypes.TryAdd(type.FullName, 0);
            }
        }
        return consume(type, new ItemKey(type.Group, type.Version, type.Resource, ns, name), json, cancellationToken);
    }

    private ItemConsumer WithPreHooks(ItemConsumer consume, BackupHookRunner hooks, ConcurrentQueue<JsonObject> postHookPods) => async (type, key, json, token) =>
    {
        var pod = JsonNode.Parse(json.Span)!.AsObject();
        if (hooks.HasHooks(pod, HookPhase.Post))
        {
            postHookPods.Enqueue(pod);
        }
        if (hooks.HasHooks(pod, HookPhase.Pre))
        {
            var outcomes = await hooks.RunAsync(pod, HookPhase.Pre, token).ConfigureAwait(false);
            Report(outcomes);
            if (outcomes.FirstOrDefault(o => o.FailsPod) is { } failed)
            {
                journal.Error(key.ToString(), $"Not backed up: pre hook '{failed.HookName}' failed in container {failed.Container}: {failed.Error}");
                return;
            }
        }
        await consume(type, key, json, token).ConfigureAwait(false);
    };

    private async Task RunPostHooksAsync(BackupHookRunner hooks, ConcurrentQueue<JsonObject> pods, CancellationToken cancellationToken)
    {
        // Post hooks undo what pre hooks did (unlock tables): they run even after a failure or Ctrl+C, within their own timeouts.
        using var afterCancel = new CancellationTokenSource(options.FailureRecordTimeout);
        var token = cancellationToken.IsCancellationRequested ? afterCancel.Token : cancellationToken;
        await Parallel.ForEachAsync(pods, new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrentHooks, CancellationToken = token }, async (pod, t) =>
            Report(await hooks.RunAsync(pod, HookPhase.Post, t).ConfigureAwait(false))).ConfigureAwait(false);
    }

    private void Report(IReadOnlyList<HookOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            var target = $"pod {outcome.Namespace}/{outcome.Pod}";
            var what = $"{outcome.Phase.ToString().ToLowerInvariant()} hook '{outcome.HookName}' in container {outcome.Container}";
            if (outcome.Succeeded)
            {
                journal.Info($"Ran {what} in {outcome.Elapsed.TotalSeconds:0.0} s.", target);
            }
            else if (outcome.OnError == HookErrorMode.Continue)
            {
                journal.Warn(target, $"The {what} failed (onError: Continue): {outcome.Error}");
            }
            else if (outcome.Phase == HookPhase.Post)
            {
                journal.Error(target, $"The {what} failed: {outcome.Error}");
            }
        }
    }

    /// <summary>Velero's default with a namespace filter: the volumes of the claims and the definitions of the custom resources taken.</summary>
    private async Task TakeRelatedAsync(ItemConsumer consume, CancellationToken cancellationToken)
    {
        var get = new RetryingApi(new KubeApi(client), options.ListRetry);
        var wanted = new List<(ApiResource Type, string Name)>();
        if (scope.PersistentVolumeType is { } pv)
        {
            wanted.AddRange(_volumes.Keys.Order(StringComparer.Ordinal).Select(v => (pv, v)));
        }
        if (scope.CrdType is { } crd)
        {
            wanted.AddRange(_customTypes.Keys.Order(StringComparer.Ordinal).Select(t => (crd, t)));
        }
        await Parallel.ForEachAsync(wanted, new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrentLists, CancellationToken = cancellationToken }, async (want, token) =>
        {
            var path = $"{want.Type.ListPath(null)}/{Uri.EscapeDataString(want.Name)}";
            JsonObject item;
            try
            {
                item = await get.GetAsync(path, null, token).ConfigureAwait(false);
            }
            catch (ApiResponseError e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // A type from an aggregated API has no CRD; a claim's volume may be gone already.
                return;
            }
            catch (Exception e) when (e is ApiResponseError or HttpRequestException || RetryingApi.IsTransient(e, token))
            {
                journal.Error($"{want.Type.FullName} {want.Name}", $"Not backed up: {RetryingApi.Describe(e)}.");
                return;
            }
            if (item["metadata"]?["deletionTimestamp"] is null)
            {
                await TakeAsync(consume, want.Type, item, token).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// The Namespace objects in scope, so a restore can recreate them; with a selector, only those that match it or
    /// hold a backed-up object.
    /// </summary>
    private async Task TakeNamespacesAsync(ItemConsumer consume, CancellationToken cancellationToken)
    {
        if (scope.NamespaceType is not { } type)
        {
            return;
        }
        foreach (var (name, item) in scope.NamespaceObjects.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if ((!scope.HasSelector || scope.MatchesSelectors(item) || _namespacesWithItems.ContainsKey(name)) && item["metadata"]?["deletionTimestamp"] is null)
            {
                await TakeAsync(consume, type, item, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Groups of Kubernetes itself never hold custom resources; any other group may.</summary>
    private static bool IsPossiblyCustom(ApiResource type) =>
        type.Group.Contains('.', StringComparison.Ordinal) && !type.Group.EndsWith(".k8s.io", StringComparison.Ordinal) && type.Group != "k8s.io";
}
