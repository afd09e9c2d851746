using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Cluster.Api;
using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Operations;

namespace KubeBackup.Core.Restore;

/// <summary>
/// Writes a planned restore into the target cluster, tier by tier (RestorePriorities), the items of a tier concurrently.
/// After the CRD tier it waits until the CRDs are Established and refreshes discovery; before the namespace tier's
/// creates it waits for terminating target namespaces to go. Every item ends with an outcome and a reason; a failing
/// item never stops the others.
/// </summary>
internal sealed class RestoreExecutor
{
    private const int ActivityId = 5310;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly IKubernetes _client;
    private readonly ObjectClient _objects;
    private readonly BackupJournal _journal;
    private readonly RestoreRunOptions _options;
    private readonly string _restoreName;
    private readonly ExistingResourcePolicy _policy;
    private readonly ConcurrentDictionary<string, string> _failedNamespaces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _failedTypes = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<RestoreItemResult> _results = [];
    private int _done;

    public RestoreExecutor(IKubernetes client, BackupJournal journal, RestoreRunOptions options, string restoreName, ExistingResourcePolicy policy)
    {
        _client = client;
        _journal = journal;
        _options = options;
        _restoreName = restoreName;
        _policy = policy;
        _objects = new ObjectClient(client, options.Retry, message => ((IOperationSink)journal).Verbose(message));
    }

    /// <summary>The results so far (<see cref="RestoreItemResult.ReadingOrder"/>); complete after <see cref="RunAsync"/>, partial after a cancellation.</summary>
    public IReadOnlyList<RestoreItemResult> Results => RestoreItemResult.ReadingOrder(_results);

    public async Task RunAsync(IReadOnlyList<PlannedItem> plan, CancellationToken cancellationToken)
    {
        var total = plan.Count;
        var namespaceTier = RestorePriorities.TierOf("", "namespaces");
        var crdTier = RestorePriorities.TierOf("apiextensions.k8s.io", "customresourcedefinitions");
        foreach (var tier in plan.GroupBy(p => p.Tier).OrderBy(g => g.Key))
        {
            var items = tier.ToList();
            if (tier.Key == namespaceTier)
            {
                await Parallel.ForEachAsync(items, Bounded(cancellationToken), async (item, token) =>
                    Record(item, await AwaitNamespaceAsync(item, token).ConfigureAwait(false) ?? await RestoreItemAsync(item, token).ConfigureAwait(false), total)).ConfigureAwait(false);
                continue;
            }
            await Parallel.ForEachAsync(items, Bounded(cancellationToken), async (item, token) =>
                Record(item, await RestoreItemAsync(item, token).ConfigureAwait(false), total)).ConfigureAwait(false);
            if (tier.Key == crdTier)
            {
                await AwaitCrdsAsync(items, cancellationToken).ConfigureAwait(false);
                await CheckServedAsync(plan.Where(p => p.Tier > crdTier), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private ParallelOptions Bounded(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = _options.MaxConcurrentItems, CancellationToken = cancellationToken };

    private void Record(PlannedItem item, RestoreItemResult result, int total)
    {
        item.Body = null; // done with: a large restore's memory shrinks as it goes
        _results.Add(result);
        if (result.Outcome == RestoreOutcome.Failed)
        {
            _journal.Error(item.ToString(), result.Reason ?? "Failed.");
        }
        // Every item reports; the module's sink passes a few updates a second to the host.
        var done = Interlocked.Increment(ref _done);
        ((IOperationSink)_journal).Progress(new OperationProgress(ActivityId, $"Restoring into the cluster as '{_restoreName}'",
            $"{done} of {total} items", (int)(100L * done / Math.Max(1, total)), CurrentOperation: item.ToString()));
    }

    private async Task<RestoreItemResult> RestoreItemAsync(PlannedItem item, CancellationToken cancellationToken)
    {
        switch (item.Action)
        {
            case RestoreAction.Skip:
                return item.ToResult(RestoreOutcome.Skipped);
            case RestoreAction.Invalid:
                return item.ToResult(RestoreOutcome.Failed);
        }
        if (item.TargetNamespace is { } ns && _failedNamespaces.TryGetValue(ns, out var namespaceFailure))
        {
            return item.ToResult(RestoreOutcome.Failed, namespaceFailure);
        }
        if (_failedTypes.TryGetValue(item.FullResource, out var typeFailure))
        {
            return item.ToResult(RestoreOutcome.Failed, typeFailure);
        }
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await _objects.CreateAsync(item.CollectionPath, item.Body!, cancellationToken).ConfigureAwait(false);
                return item.ToResult(RestoreOutcome.Created, await RestoreStatusAsync(item, cancellationToken).ConfigureAwait(false));
            }
            catch (ApiResponseError e) when (e.StatusCode == HttpStatusCode.Conflict && e.Reason == "AlreadyExists")
            {
                var live = await _objects.GetAsync(item.ObjectPath, cancellationToken).ConfigureAwait(false);
                if (live is null && attempt == 0)
                {
                    continue; // deleted between the create and the read: create again
                }
                return live is null ? item.ToResult(RestoreOutcome.Failed, "It exists and does not: it was deleted while being restored.")
                    : await ExistingAsync(item, item.ParseBody(), live, cancellationToken).ConfigureAwait(false);
            }
            catch (ApiResponseError e)
            {
                return item.ToResult(RestoreOutcome.Failed, $"The API server refused it: {RetryingApi.Describe(e)}");
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return item.ToResult(RestoreOutcome.Failed, $"The API server did not answer: {RetryingApi.Describe(e)}");
            }
        }
    }

    /// <summary>
    /// A create ignores status wherever status is a subresource (most types), so a kept status (-RestoreStatus) is
    /// written through the status subresource afterwards, as Velero does. A failure there is the reason, not a failure.
    /// </summary>
    private async Task<string?> RestoreStatusAsync(PlannedItem item, CancellationToken cancellationToken)
    {
        if (!item.HasStatus || item.ParseBody()["status"] is not JsonObject status)
        {
            return null;
        }
        try
        {
            await _objects.MergePatchAsync(item.ObjectPath + "/status", new JsonObject { ["status"] = status.DeepClone() }, cancellationToken).ConfigureAwait(false);
            return "Created, with its status.";
        }
        catch (ApiResponseError e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return "Created; the type has no status subresource, so the status went with the create.";
        }
        catch (ApiResponseError e)
        {
            _journal.Warn(item.ToString(), $"Created, but its status was not restored: {RetryingApi.Describe(e)}");
            return $"Created; its status was not restored: {RetryingApi.Describe(e)}";
        }
    }

    private async Task<RestoreItemResult> ExistingAsync(PlannedItem item, JsonObject desired, JsonObject live, CancellationToken cancellationToken)
    {
        if (ExistingObject.MadeBy(live, _restoreName))
        {
            return item.ToResult(RestoreOutcome.Created, null);
        }
        var (action, changed, reason) = ExistingObject.Decide(desired, live, _policy);
        item.Action = action;
        item.ChangedFields = changed;
        if (action != RestoreAction.Update)
        {
            return item.ToResult(RestoreOutcome.Skipped, reason);
        }
        try
        {
            await _objects.MergePatchAsync(item.ObjectPath, desired, cancellationToken).ConfigureAwait(false);
            return item.ToResult(RestoreOutcome.Updated, reason);
        }
        catch (ApiResponseError e)
        {
            return item.ToResult(RestoreOutcome.Failed, $"It exists and differs ({string.Join(", ", changed.Take(5))}); the update was refused: {RetryingApi.Describe(e)}");
        }
    }

    /// <summary>
    /// A target namespace that is terminating cannot take new objects: wait (bounded) until it is gone, as Velero does.
    /// Returns a failure when it stays, and marks its items failed with the same reason.
    /// </summary>
    private async Task<RestoreItemResult?> AwaitNamespaceAsync(PlannedItem item, CancellationToken cancellationToken)
    {
        if (item.Action is not RestoreAction.Create)
        {
            return null;
        }
        var deadline = DateTimeOffset.UtcNow + _options.WaitTimeout;
        var waited = false;
        while (await _objects.GetAsync(item.ObjectPath, cancellationToken).ConfigureAwait(false) is { } live && IsTerminating(live))
        {
            if (!waited)
            {
                _journal.Info($"Namespace '{item.TargetName}' is terminating; waiting up to {_options.WaitTimeout} for it to go.");
                waited = true;
            }
            if (DateTimeOffset.UtcNow >= deadline)
            {
                var reason = $"Target namespace '{item.TargetName}' is terminating and was still there after {_options.WaitTimeout}; nothing was restored into it. Wait until it is gone, or restore into another namespace with -NamespaceMapping.";
                _failedNamespaces[item.TargetName] = reason;
                return item.ToResult(RestoreOutcome.Failed, reason);
            }
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
        return null;
    }

    private static bool IsTerminating(JsonObject live) =>
        live["metadata"]?["deletionTimestamp"] is not null || (string?)live["status"]?["phase"] == "Terminating";

    /// <summary>Waits until every restored or existing CRD is Established; the custom resources of one that is not fail with its condition's message.</summary>
    private async Task AwaitCrdsAsync(List<PlannedItem> crds, CancellationToken cancellationToken)
    {
        var restored = _results.Where(r => r.Resource == "customresourcedefinitions" && r.Outcome is not RestoreOutcome.Failed && r.Action is not RestoreAction.Skip)
            .Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var failed in _results.Where(r => r.Resource == "customresourcedefinitions" && r.Outcome == RestoreOutcome.Failed))
        {
            _failedTypes[failed.Name] = $"Its CustomResourceDefinition '{failed.Name}' could not be restored: {failed.Reason}";
        }
        await Parallel.ForEachAsync(crds.Where(c => restored.Contains(c.TargetName)), Bounded(cancellationToken), async (crd, token) =>
        {
            var deadline = DateTimeOffset.UtcNow + _options.WaitTimeout;
            while (true)
            {
                var live = await _objects.GetAsync(crd.ObjectPath, token).ConfigureAwait(false);
                var (established, why) = Established(live);
                if (established)
                {
                    return;
                }
                if (DateTimeOffset.UtcNow >= deadline)
                {
                    var reason = $"Its CustomResourceDefinition '{crd.TargetName}' did not become Established within {_options.WaitTimeout}: {why}";
                    _failedTypes[crd.TargetName] = reason;
                    _journal.Error(crd.ToString(), $"Not Established within {_options.WaitTimeout}: {why}");
                    return;
                }
                await Task.Delay(PollInterval, token).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    private static (bool Established, string Why) Established(JsonObject? crd)
    {
        if (crd is null)
        {
            return (false, "it is gone from the cluster.");
        }
        var conditions = (crd["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (conditions.Any(c => (string?)c["type"] == "Established" && (string?)c["status"] == "True"))
        {
            return (true, "");
        }
        var telling = conditions.FirstOrDefault(c => (string?)c["type"] == "NamesAccepted" && (string?)c["status"] == "False")
            ?? conditions.FirstOrDefault(c => (string?)c["type"] == "Established");
        return (false, telling is null ? "it reports no conditions yet."
            : $"{telling["type"]} is {telling["status"]} ({telling["reason"]}): {telling["message"]}.");
    }

    /// <summary>Discovery again after the CRDs: instances of types the cluster still does not serve fail with the reason.</summary>
    private async Task CheckServedAsync(IEnumerable<PlannedItem> later, CancellationToken cancellationToken)
    {
        var pending = later.Where(p => p.Action == RestoreAction.Create && p.Key.Group.Length > 0).Select(p => (p.Key.Group, p.Key.Resource, p.FullResource)).Distinct().ToList();
        if (pending.Count == 0)
        {
            return;
        }
        var discovered = await ApiDiscovery.DiscoverAsync(_client, _journal, _options.Retry, cancellationToken).ConfigureAwait(false);
        var served = discovered.All.Select(r => (r.Group, r.Resource)).ToHashSet();
        foreach (var (group, resource, fullName) in pending.Where(p => !served.Contains((p.Group, p.Resource))))
        {
            _failedTypes.TryAdd(fullName, $"The target cluster does not serve {fullName} after its CustomResourceDefinition was restored.");
        }
    }
}
