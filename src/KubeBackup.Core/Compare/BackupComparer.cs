using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Cluster;
using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Cluster.Listing;
using KubeBackup.Core.Cluster.Selectors;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Compare;

/// <summary>
/// Compares a backup with the live cluster or with a second backup (the engine of Compare-KbBackup). Objects are
/// compared in their normalized form (<see cref="ObjectNormalizer"/>), so what a restore resets or the server fills in
/// is no difference. The cluster is read with one list per resource type (per namespace when the backup spans a few),
/// never object by object; items two backups share by blob are known equal without being read. An item whose
/// content cannot be read (a damaged blob) is reported with the reason, and the comparison goes on.
/// </summary>
public sealed class BackupComparer : IDisposable
{
    private const int ActivityId = 5300;
    private const int MaxNamespacesListedApart = 8;

    private readonly IKubernetes? _client;
    private readonly string? _clusterName;
    private readonly IOperationSink _sink;
    private readonly bool _ownsClient;

    /// <summary>A comparer of backups only.</summary>
    public BackupComparer(IOperationSink? sink = null)
    {
        _sink = sink ?? NullOperationSink.Instance;
    }

    /// <summary>A comparer that also reads the cluster behind <paramref name="client"/>, named <paramref name="clusterName"/> in the results.</summary>
    public BackupComparer(IKubernetes client, string clusterName, IOperationSink? sink = null)
        : this(sink)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _clusterName = clusterName;
    }

    /// <summary>A comparer with its own client for the connection: the module's way in, which must not touch KubernetesClient types.</summary>
    public BackupComparer(ClusterConnection connection, IOperationSink? sink = null)
        : this(connection.CreateClient(), connection.ContextName, sink)
    {
        _ownsClient = true;
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client?.Dispose();
        }
    }

    /// <summary>
    /// The differences between <paramref name="backup"/> and the cluster, in the backup's order (namespace, group,
    /// resource, name): Changed and Removed for the backup's items, Added for live objects of the backup's resource
    /// types in the backup's namespaces (and matching its label selectors) that it lacks, Unchanged when asked for.
    /// </summary>
    public async IAsyncEnumerable<ItemDifference> CompareWithClusterAsync(BackupReader backup, CompareOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backup);
        ArgumentNullException.ThrowIfNull(options);
        var client = _client ?? throw new InvalidOperationException("This comparer has no cluster; construct it with a connection.");
        var target = $"cluster '{_clusterName}'";
        var activity = $"Comparing backup '{backup.Info.Name}' with {target}";
        _sink.Progress(new OperationProgress(ActivityId, activity, "Discovering resource types"));
        var discovered = await ApiDiscovery.DiscoverAsync(client, _sink, options.ListRetry, cancellationToken).ConfigureAwait(false);
        var filter = new CompareFilter(options, discovered, _sink);
        var results = new List<ItemDifference>();

        // The backup's items by type, then by namespace and name: entries are small, the objects are read when matched.
        _sink.Progress(new OperationProgress(ActivityId, activity, "Reading the backup's manifest"));
        var pending = new Dictionary<(string Group, string Resource), Dictionary<(string?, string), ManifestEntry>>();
        var namespaces = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        await foreach (var entry in backup.ReadEntriesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (entry.Kind != ManifestEntryKind.Item || !filter.Matches(entry.Key))
            {
                continue;
            }
            var type = (entry.Key.Group, entry.Key.Resource);
            if (!pending.TryGetValue(type, out var items))
            {
                pending[type] = items = [];
            }
            items[(entry.Key.Namespace, entry.Key.Name)] = entry;
            if (entry.Key.Namespace is { } ns)
            {
                namespaces.Add(ns);
            }
            total++;
        }

        var types = new Dictionary<(string, string), ApiResource>();
        foreach (var (group, resource) in pending.Keys)
        {
            if (discovered.All.FirstOrDefault(r => r.Group == group && r.Resource == resource && r.Listable) is { } served)
            {
                types[(group, resource)] = served;
            }
            else
            {
                var failedGroup = discovered.FailedGroups.Any(g => g.GroupVersion.Split('/')[0] == group && group.Length > 0);
                var reason = failedGroup
                    ? $"The cluster's discovery of API group '{group}' failed; its objects could not be compared."
                    : $"The cluster serves no listable resource type {CompareFilter.FullName(group, resource)}.";
                results.AddRange(pending[(group, resource)].Values.Select(e => Difference(DifferenceKind.Removed, e.Key, backup.Info.Name, target, reason: reason)));
                pending.Remove((group, resource));
            }
        }

        var taken = BackupRule.For(backup.Info);
        var listOptions = new ResourceListOptions { PageSize = options.PageSize, Retry = options.ListRetry };
        var requests = new List<ListRequest>();
        foreach (var type in types.Values)
        {
            if (!type.Namespaced || namespaces.Count > MaxNamespacesListedApart)
            {
                requests.Add(new ListRequest(type, listOptions));
            }
            else
            {
                requests.AddRange(namespaces.Order(StringComparer.Ordinal).Select(ns => new ListRequest(type, listOptions with { Namespace = ns })));
            }
        }

        var failedTypes = new HashSet<ApiResource>();
        long compared = 0;
        var lister = new ResourceLister(client, _sink);
        // Matched objects are compared by a few workers: each needs its backed-up copy read from storage.
        var matched = Channel.CreateBounded<(ManifestEntry Entry, RawObject Live, ApiResource Type)>(Math.Max(16, options.MaxConcurrentItems * 4));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = Enumerable.Range(0, Math.Max(1, options.MaxConcurrentItems)).Select(_ => Task.Run(async () =>
        {
            try
            {
                await CompareMatchedAsync().ConfigureAwait(false);
            }
            catch
            {
                // The lister must not wait on a full channel that nobody reads any more.
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }, stop.Token)).ToList();

        async Task CompareMatchedAsync()
        {
            await foreach (var (entry, live, type) in matched.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                var difference = await CompareAsync(backup, entry, live.Parse, type.Kind, target, stop.Token).ConfigureAwait(false);
                lock (results)
                {
                    if (difference.Change != DifferenceKind.Unchanged || options.IncludeUnchanged)
                    {
                        results.Add(difference);
                    }
                    if (++compared % 100 == 0)
                    {
                        _sink.Progress(new OperationProgress(ActivityId, activity, $"{compared} of {total} items compared", (int)(100 * compared / Math.Max(1, total))));
                    }
                }
            }
        }

        try
        {
            await foreach (var listed in lister.ListManyAsync(requests, options.MaxConcurrentLists, stop.Token).ConfigureAwait(false))
            {
                var type = listed.Resource;
                if (listed.Failure is { } failure)
                {
                    failedTypes.Add(type);
                    _sink.Warning($"{failure.Message} Its objects are not compared.");
                    continue;
                }
                var raw = listed.Raw!;
                var key = new ItemKey(type.Group, type.Version, type.Resource, type.Namespaced ? raw.Namespace : null, raw.Name);
                if (key.Namespace is { } ns && !namespaces.Contains(ns))
                {
                    continue;
                }
                if (pending[(type.Group, type.Resource)].Remove((key.Namespace, key.Name), out var entry))
                {
                    await matched.Writer.WriteAsync((entry, raw, type), stop.Token).ConfigureAwait(false);
                }
                else if (filter.Matches(key) && taken.WouldTake(type, raw))
                {
                    lock (results)
                    {
                        results.Add(Difference(DifferenceKind.Added, key, backup.Info.Name, target, kind: type.Kind));
                    }
                }
            }
            matched.Writer.Complete();
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A failed list or worker ends the others; a worker's failure is the one to report, not the cancellation it caused.
            matched.Writer.TryComplete();
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(workers.Select(w => w.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested
                && workers.FirstOrDefault(w => w.IsFaulted)?.Exception?.InnerException is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
            throw;
        }

        foreach (var (typeKey, items) in pending)
        {
            var type = types[typeKey];
            if (!failedTypes.Contains(type))
            {
                results.AddRange(items.Values.Select(e => Difference(DifferenceKind.Removed, e.Key, backup.Info.Name, target, kind: type.Kind)));
            }
        }
        _sink.Progress(OperationProgress.Done(ActivityId, activity));
        _sink.Verbose($"Compared {total} item(s) of backup '{backup.Info.Name}' with {target}: {Counts(results)}.");
        results.Sort((a, b) => ItemKey.CompareSortKeys(a.Key, b.Key));
        foreach (var result in results)
        {
            yield return result;
        }
    }

    /// <summary>
    /// The differences from <paramref name="reference"/> to <paramref name="difference"/>, items matched by group,
    /// resource, namespace and name (not version), in manifest order. Items stored as the same blobs are Unchanged
    /// without being read.
    /// </summary>
    public async IAsyncEnumerable<ItemDifference> CompareBackupsAsync(BackupReader reference, BackupReader difference, CompareOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(difference);
        ArgumentNullException.ThrowIfNull(options);
        var filter = new CompareFilter(options, discovered: null, _sink);
        var from = reference.Info.Name;
        var target = difference.Info.Name;
        var activity = $"Comparing backup '{from}' with backup '{target}'";
        var total = Math.Max(1, reference.EntryCount + difference.EntryCount);
        long done = 0;
        var counts = new List<ItemDifference>();

        await using var left = Items(reference, filter, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using var right = Items(difference, filter, cancellationToken).GetAsyncEnumerator(cancellationToken);
        var hasLeft = await left.MoveNextAsync().ConfigureAwait(false);
        var hasRight = await right.MoveNextAsync().ConfigureAwait(false);
        while (hasLeft || hasRight)
        {
            var order = !hasLeft ? 1 : !hasRight ? -1 : CompareIgnoringVersion(left.Current.Key, right.Current.Key);
            ItemDifference result;
            if (order < 0)
            {
                result = Difference(DifferenceKind.Removed, left.Current.Key, from, target);
                hasLeft = await left.MoveNextAsync().ConfigureAwait(false);
                done++;
            }
            else if (order > 0)
            {
                result = Difference(DifferenceKind.Added, right.Current.Key, from, target);
                hasRight = await right.MoveNextAsync().ConfigureAwait(false);
                done++;
            }
            else
            {
                var (before, after) = (left.Current, right.Current);
                result = SameBlobs(before, after)
                    ? Difference(DifferenceKind.Unchanged, after.Key, from, target)
                    : await CompareAsync(reference, before, difference, after, target, cancellationToken).ConfigureAwait(false);
                hasLeft = await left.MoveNextAsync().ConfigureAwait(false);
                hasRight = await right.MoveNextAsync().ConfigureAwait(false);
                done += 2;
            }
            if (done % 200 < 2)
            {
                _sink.Progress(new OperationProgress(ActivityId, activity, $"{done} of {total} entries compared", (int)Math.Min(100, 100 * done / total)));
            }
            if (result.Change != DifferenceKind.Unchanged)
            {
                counts.Add(result);
            }
            if (result.Change != DifferenceKind.Unchanged || options.IncludeUnchanged)
            {
                yield return result;
            }
        }
        _sink.Progress(OperationProgress.Done(ActivityId, activity));
        _sink.Verbose($"Compared backup '{from}' with backup '{target}': {Counts(counts)}.");
    }

    private static async IAsyncEnumerable<ManifestEntry> Items(BackupReader reader, CompareFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entry in reader.ReadEntriesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (entry.Kind == ManifestEntryKind.Item && filter.Matches(entry.Key))
            {
                yield return entry;
            }
        }
    }

    private static int CompareIgnoringVersion(ItemKey a, ItemKey b) =>
        ItemKey.CompareSortKeys(a, b with { Version = a.Version });

    private static bool SameBlobs(ManifestEntry a, ManifestEntry b) =>
        a.Blobs.Count == b.Blobs.Count && a.Blobs.Select(x => x.Id).SequenceEqual(b.Blobs.Select(x => x.Id));

    /// <summary>A backup's item against a live object.</summary>
    private async Task<ItemDifference> CompareAsync(BackupReader backup, ManifestEntry entry, Func<JsonObject> live, string kind, string target, CancellationToken cancellationToken)
    {
        var (before, problem) = await ReadAsync(backup, entry, cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            return Difference(DifferenceKind.Changed, entry.Key, backup.Info.Name, target, kind: kind, reason: problem);
        }
        var changes = ObjectDiff.Compare(ObjectNormalizer.ForComparison(before), ObjectNormalizer.ForComparison(live()));
        return Difference(changes.Count == 0 ? DifferenceKind.Unchanged : DifferenceKind.Changed, entry.Key, backup.Info.Name, target, changes, kind);
    }

    /// <summary>An item of one backup against the same item of another.</summary>
    private async Task<ItemDifference> CompareAsync(BackupReader reference, ManifestEntry before, BackupReader difference, ManifestEntry after, string target, CancellationToken cancellationToken)
    {
        var (left, leftProblem) = await ReadAsync(reference, before, cancellationToken).ConfigureAwait(false);
        var (right, rightProblem) = await ReadAsync(difference, after, cancellationToken).ConfigureAwait(false);
        var kind = (string?)(left ?? right)?["kind"];
        if (left is null || right is null)
        {
            var reason = string.Join(" ", new[] { leftProblem, rightProblem }.Where(p => p is not null));
            return Difference(DifferenceKind.Changed, after.Key, reference.Info.Name, target, kind: kind, reason: reason);
        }
        var changes = ObjectDiff.Compare(ObjectNormalizer.ForComparison(left), ObjectNormalizer.ForComparison(right));
        return Difference(changes.Count == 0 ? DifferenceKind.Unchanged : DifferenceKind.Changed, after.Key, reference.Info.Name, target, changes, kind);
    }

    /// <summary>An item's object, or why it cannot be read: damage is a result, not the end of the comparison.</summary>
    private async Task<(JsonObject? Object, string? Problem)> ReadAsync(BackupReader backup, ManifestEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await backup.ReadItemAsync(entry, cancellationToken).ConfigureAwait(false);
            return JsonNode.Parse(bytes) is JsonObject obj
                ? (obj, null)
                : (null, $"{backup.Describe(entry)} is not a JSON object.");
        }
        catch (KbException e) when (e.ErrorId is ErrorIds.BlobCorrupted or ErrorIds.PackMissing)
        {
            _sink.Warning(e.Message);
            return (null, e.Message);
        }
        catch (JsonException e)
        {
            return (null, $"{backup.Describe(entry)} is not valid JSON: {e.Message}");
        }
    }

    /// <summary>
    /// What the backup's own spec would have taken, so a live object it never covered is not reported as Added: its
    /// label selectors, its namespace filter for Namespace objects, and cluster-scoped objects only when the backup
    /// took them all (not just those related to its namespaces). A backup without a readable spec takes everything.
    /// </summary>
    private sealed class BackupRule
    {
        private static readonly BackupRule Everything = new(_ => true, _ => true, clusterScoped: true);

        private readonly Func<IReadOnlyDictionary<string, string>?, bool> _selector;
        private readonly Func<string, bool> _namespace;
        private readonly bool _clusterScoped;

        private BackupRule(Func<IReadOnlyDictionary<string, string>?, bool> selector, Func<string, bool> @namespace, bool clusterScoped)
        {
            _selector = selector;
            _namespace = @namespace;
            _clusterScoped = clusterScoped;
        }

        public static BackupRule For(BackupInfo info)
        {
            BackupSpec spec;
            try
            {
                spec = BackupRecordJson.FromInfo(info, null).Spec;
            }
            catch (KbException)
            {
                return Everything;
            }
            Func<IReadOnlyDictionary<string, string>?, bool> selector = _ => true;
            if (spec.OrLabelSelectors.Count > 0)
            {
                var any = spec.OrLabelSelectors.Select(LabelSelector.Parse).ToList();
                selector = labels => any.Any(s => s.Matches(labels));
            }
            else if (spec.LabelSelector is { Length: > 0 } text)
            {
                selector = LabelSelector.Parse(text).Matches;
            }
            var included = new Common.NamePatterns(spec.IncludedNamespaces);
            var excluded = new Common.NamePatterns(spec.ExcludedNamespaces);
            return new BackupRule(selector, ns => (included.MatchesEverything || included.Matches(ns)) && !excluded.Matches(ns),
                spec.IncludeClusterResources ?? included.MatchesEverything);
        }

        public bool WouldTake(ApiResource type, RawObject raw)
        {
            if (!_selector(raw.Labels))
            {
                return false;
            }
            if (type.Namespaced)
            {
                return true;
            }
            return type.Group.Length == 0 && type.Resource == "namespaces" ? _namespace(raw.Name) : _clusterScoped;
        }
    }

    private static ItemDifference Difference(DifferenceKind change, ItemKey key, string reference, string target,
        IReadOnlyList<FieldChange>? changes = null, string? kind = null, string? reason = null) => new()
    {
        Change = change,
        Group = key.Group,
        Version = key.Version,
        Resource = key.Resource,
        Namespace = key.Namespace,
        Name = key.Name,
        Kind = kind,
        Changes = changes ?? [],
        Reason = reason,
        Reference = reference,
        DifferenceTarget = target,
    };

    private static string Counts(IEnumerable<ItemDifference> results)
    {
        var byKind = results.GroupBy(r => r.Change).ToDictionary(g => g.Key, g => g.Count());
        return string.Join(", ", new[] { DifferenceKind.Added, DifferenceKind.Removed, DifferenceKind.Changed }
            .Select(k => $"{byKind.GetValueOrDefault(k)} {k.ToString().ToLowerInvariant()}"));
    }
}
