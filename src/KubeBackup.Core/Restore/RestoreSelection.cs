using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using KubeBackup.Core.Backup;
using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Cluster.Selectors;
using KubeBackup.Core.Common;
using KubeBackup.Core.Errors;
using KubeBackup.Core.Operations;
using KubeBackup.Core.Repository;
using KubeBackup.Core.Restore.Transforms;

namespace KubeBackup.Core.Restore;

/// <summary>
/// Which items of a backup a restore takes, and in what form: Velero's filters (namespaces matched on the backup's
/// namespace, resource types, label selectors, the three-valued cluster-scoped rule with its "related" items), the
/// objects read and transformed for the target, ordered by tier. Reads the backup; never the cluster.
/// </summary>
internal static class RestoreSelection
{
    private const string CrdResource = "customresourcedefinitions";
    private const string CrdGroup = "apiextensions.k8s.io";

    /// <summary>Bad input (selectors, mapping) fails here, before the backup is read or anything is written.</summary>
    public static void Validate(RestoreSpec spec)
    {
        LabelSelector.ValidateSpec(spec.LabelSelector, spec.OrLabelSelectors, ErrorIds.RestoreSpecInvalid);
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (source, target) in spec.NamespaceMapping)
        {
            foreach (var (what, name) in new[] { ("source", source), ("target", target) })
            {
                if (NamespaceName.Problem(name ?? "") is { } problem)
                {
                    throw new KbException(ErrorIds.NamespaceMappingInvalid, KbErrorCategory.InvalidArgument, spec.NamespaceMapping,
                        $"The namespace mapping '{source}' = '{target}' is invalid: its {what}: {problem}.");
                }
            }
            if (targets.TryGetValue(target, out var other))
            {
                throw new KbException(ErrorIds.NamespaceMappingInvalid, KbErrorCategory.InvalidArgument, spec.NamespaceMapping,
                    $"The namespace mapping sends both '{other}' and '{source}' to '{target}'; objects of the same name would overwrite each other. Map each namespace to its own target.");
            }
            targets[target] = source;
        }
    }

    /// <summary>The items to restore, read, filtered and transformed, ordered by tier; skipped and invalid items are included with their reason.</summary>
    /// <param name="volumeSnapshots">The backup's recorded snapshots: their claims are restored from them.</param>
    public static async Task<List<PlannedItem>> SelectAsync(BackupReader backup, IReadOnlyList<BackupVolumeSnapshot> volumeSnapshots, RestoreSpec spec, string restoreName,
        DiscoveredResources target, BackupJournal journal, RestoreRunOptions options, CancellationToken cancellationToken)
    {
        var entries = (await backup.GetManifestAsync(cancellationToken).ConfigureAwait(false)).Where(e => e.Kind == ManifestEntryKind.Item).ToList();
        var included = new NamePatterns(spec.IncludedNamespaces);
        var excluded = new NamePatterns(spec.ExcludedNamespaces);
        var backupNamespaces = entries.Where(e => e.Key.Namespace is not null).Select(e => e.Key.Namespace!).ToHashSet(StringComparer.Ordinal);
        foreach (var unmatched in included.Unmatched(backupNamespaces).Concat(excluded.Unmatched(backupNamespaces)))
        {
            journal.Warn(unmatched, $"The namespace filter '{unmatched}' matches no namespace of backup '{backup.Info.Name}'.");
        }
        foreach (var source in spec.NamespaceMapping.Keys.Where(s => !backupNamespaces.Contains(s)))
        {
            journal.Warn(source, $"The namespace mapping names '{source}', which backup '{backup.Info.Name}' does not hold.");
        }
        bool NamespaceInScope(string ns) => (included.MatchesEverything || included.Matches(ns)) && !excluded.Matches(ns);

        var types = new ResourceFilter(spec.IncludedResources, spec.ExcludedResources, target, entries.Select(e => e.Key), journal);
        var allNamespaces = included.MatchesEverything;
        var clusterRule = spec.IncludeClusterResources;

        // Namespaced items in scope, and the cluster-scoped candidates (all of them when the rule may take them).
        var chosen = entries.Where(e => e.Key.Namespace is { } ns
                ? NamespaceInScope(ns) && types.Includes(e.Key)
                : e.Key.Resource != "namespaces" && clusterRule != false && types.Includes(e.Key))
            .ToList();
        var read = await ReadAsync(backup, chosen, journal, options, cancellationToken).ConfigureAwait(false);

        var selector = spec.LabelSelector is { Length: > 0 } text ? LabelSelector.Parse(text) : LabelSelector.Everything;
        var orSelectors = spec.OrLabelSelectors.Select(LabelSelector.Parse).ToList();
        bool Selected(ItemFacts? item) => item is null
            || (orSelectors.Count > 0 ? orSelectors.Any(s => s.Matches(item.Labels)) : selector.Matches(item.Labels));

        var namespaced = read.Where(r => r.Entry.Key.Namespace is not null && Selected(r.Facts)).ToList();
        var clusterScoped = read.Where(r => r.Entry.Key.Namespace is null && Selected(r.Facts)).ToList();
        if (clusterRule is null && !allNamespaces)
        {
            clusterScoped = Related(namespaced, clusterScoped);
        }

        // The Namespace objects of the namespaces items are restored into, from the backup when it has them.
        var restoredNamespaces = namespaced.Select(r => r.Entry.Key.Namespace!).ToHashSet(StringComparer.Ordinal);
        var namespaceEntries = entries.Where(e => e.Key.Resource == "namespaces" && e.Key.Group.Length == 0 && restoredNamespaces.Contains(e.Key.Name)).ToList();
        var namespaceItems = await ReadAsync(backup, namespaceEntries, journal, options, cancellationToken).ConfigureAwait(false);

        var all = namespaceItems.Concat(clusterScoped).Concat(namespaced).ToList();
        var restoredObjects = all.Where(r => r.Facts is not null)
            .Select(r => (r.Facts!.Group, r.Facts.Kind, r.Entry.Key.Namespace, r.Entry.Key.Name))
            .ToHashSet();
        var snapshots = SnapshotClaims.ReadyByClaim(volumeSnapshots);
        var statusTypes = new ResourceFilter(spec.RestoreStatusIncludedResources, spec.RestoreStatusExcludedResources, target, entries.Select(e => e.Key), journal: null);
        var context = new RestoreContext
        {
            BackupName = backup.Info.Name,
            RestoreName = restoreName,
            NamespaceMapping = spec.NamespaceMapping,
            PreserveNodePorts = spec.PreserveNodePorts,
            StandbyAnnotation = spec.StandbyAnnotation,
            RestoresStatusOf = fullName => spec.RestoreStatusIncludedResources.Count > 0 && statusTypes.IncludesName(fullName),
            IsRestored = (apiVersion, kind, ns, name) => restoredObjects.Contains((GroupOf(apiVersion), kind, ns, name)),
            SnapshotOf = (ns, claim) => snapshots.GetValueOrDefault((ns, claim)),
        };

        // Each item is parsed again, transformed, and kept as the JSON to send: a large restore holds every object as
        // text, never as document trees (several times larger), and the bytes it read are let go at once.
        read.Clear();
        namespaced.Clear();
        clusterScoped.Clear();
        namespaceItems.Clear();
        var planned = new List<PlannedItem>(all.Count + 4);
        for (var i = 0; i < all.Count; i++)
        {
            var (entry, json, facts, failure) = all[i];
            all[i] = null!;
            var key = entry.Key;
            var plannedItem = new PlannedItem
            {
                Key = key,
                Kind = facts?.Kind,
                TargetNamespace = RestoreTransform.TargetNamespace(key, context),
                TargetName = key.Resource == "namespaces" && key.Group.Length == 0 ? context.TargetNamespace(key.Name) : key.Name,
                Tier = RestorePriorities.TierOf(key.Group, key.Resource),
            };
            if (json is null)
            {
                (plannedItem.Action, plannedItem.Reason) = (RestoreAction.Invalid, failure);
            }
            else
            {
                var transformed = RestoreTransform.Prepare(key, JsonNode.Parse(json)!.AsObject(), context);
                if (transformed.Object is { } ready)
                {
                    plannedItem.Body = JsonSerializer.SerializeToUtf8Bytes(ready);
                    plannedItem.HasStatus = ready["status"] is JsonObject;
                }
                plannedItem.Action = transformed.Skipped ? RestoreAction.Skip : RestoreAction.Create;
                plannedItem.Reason = transformed.SkipReason;
            }
            planned.Add(plannedItem);
        }

        // Target namespaces the backup has no Namespace object for are created, as Velero does.
        var namespaceTier = RestorePriorities.TierOf("", "namespaces");
        var haveNamespace = planned.Where(p => p.Key.Resource == "namespaces" && p.Key.Group.Length == 0).Select(p => p.TargetName).ToHashSet(StringComparer.Ordinal);
        foreach (var ns in restoredNamespaces.Select(context.TargetNamespace).Distinct(StringComparer.Ordinal).Where(n => !haveNamespace.Contains(n)).Order(StringComparer.Ordinal))
        {
            planned.Add(new PlannedItem
            {
                Key = new ItemKey("", "v1", "namespaces", null, ns),
                Kind = "Namespace",
                TargetName = ns,
                Tier = namespaceTier,
                Synthetic = true,
                Body = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Namespace",
                    ["metadata"] = new JsonObject
                    {
                        ["name"] = ns,
                        ["labels"] = new JsonObject
                        {
                            [RestoreLabels.BackupName] = RestoreLabels.Value(backup.Info.Name),
                            [RestoreLabels.RestoreName] = RestoreLabels.Value(restoreName),
                        },
                    },
                }),
            });
        }

        SnapshotClaims.Plan(planned, context, target);
        CheckTypesServed(planned, target);
        return planned.OrderBy(p => p.Tier).ThenBy(p => p.TargetNamespace ?? "", StringComparer.Ordinal)
            .ThenBy(p => p.FullResource, StringComparer.Ordinal).ThenBy(p => p.TargetName, StringComparer.Ordinal).ToList();
    }

    /// <summary>Items whose type the target does not serve, and whose CRD is not restored with them, cannot be created.</summary>
    private static void CheckTypesServed(List<PlannedItem> planned, DiscoveredResources target)
    {
        var crds = planned.Where(p => p.Key.Resource == CrdResource && p.Key.Group == CrdGroup && p.Body is not null).Select(p => p.TargetName).ToHashSet(StringComparer.Ordinal);
        var served = target.All.Select(r => (r.Group, r.Resource)).ToHashSet();
        foreach (var item in planned.Where(p => p.Action == RestoreAction.Create && !served.Contains((p.Key.Group, p.Key.Resource))))
        {
            if (!crds.Contains($"{item.Key.Resource}.{item.Key.Group}"))
            {
                item.Action = RestoreAction.Invalid;
                item.Reason = $"The target cluster serves no {item.FullResource}, and the restore has no CustomResourceDefinition for it.";
                item.Body = null;
            }
        }
    }

    /// <summary>Velero's default with a namespace filter: only the CRDs of restored custom resources and the PVs of restored claims.</summary>
    private static List<ReadItem> Related(List<ReadItem> namespaced, List<ReadItem> clusterScoped)
    {
        var crdNames = namespaced.Select(r => r.Entry.Key.Group.Length == 0 ? null : $"{r.Entry.Key.Resource}.{r.Entry.Key.Group}").OfType<string>().ToHashSet(StringComparer.Ordinal);
        var volumes = namespaced.Where(r => r.Entry.Key.Resource == "persistentvolumeclaims" && r.Entry.Key.Group.Length == 0)
            .Select(r => r.Facts?.VolumeName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return clusterScoped.Where(r =>
            (r.Entry.Key.Resource == CrdResource && r.Entry.Key.Group == CrdGroup && crdNames.Contains(r.Entry.Key.Name))
            || (r.Entry.Key.Resource == "persistentvolumes" && r.Entry.Key.Group.Length == 0 && volumes.Contains(r.Entry.Key.Name))).ToList();
    }

    /// <summary>An item as read: its JSON and what selection needs of it, or why it could not be read.</summary>
    private sealed record ReadItem(ManifestEntry Entry, byte[]? Json, ItemFacts? Facts, string? Failure);

    /// <summary>What selection needs of an object: its group and kind (owners), labels (selectors), a claim's volume.</summary>
    private sealed record ItemFacts(string Group, string? Kind, IReadOnlyDictionary<string, string> Labels, string? VolumeName);

    /// <summary>Reads and parses items, pack range by pack range; an item that cannot be read is kept with its reason, and the rest go on.</summary>
    private static async Task<List<ReadItem>> ReadAsync(BackupReader backup, List<ManifestEntry> entries, BackupJournal journal, RestoreRunOptions options, CancellationToken cancellationToken)
    {
        var results = new ConcurrentBag<ReadItem>();
        var done = 0;
        await backup.ReadItemsAsync(entries, options.MaxConcurrentReads, (entry, bytes, failure) =>
        {
            results.Add(failure is not null ? new ReadItem(entry, null, null, failure.Message) : Parse(entry, bytes!));
            var n = Interlocked.Increment(ref done);
            if (n % 500 == 0 || n == entries.Count)
            {
                ((IOperationSink)journal).Progress(new OperationProgress(5300, $"Reading backup '{backup.Info.Name}'", $"{n} of {entries.Count} items", (int)(100L * n / Math.Max(1, entries.Count))));
            }
            return ValueTask.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        return [.. results];
    }

    /// <summary>The facts of an item, read from a tree that is let go at once; the bytes are what is kept.</summary>
    private static ReadItem Parse(ManifestEntry entry, byte[] bytes)
    {
        try
        {
            if (JsonNode.Parse(bytes) is not JsonObject item)
            {
                return new ReadItem(entry, null, null, "The item is not a JSON object.");
            }
            var labels = (item["metadata"] is JsonObject metadata && metadata["labels"] is JsonObject map ? map : [])
                .ToDictionary(p => p.Key, p => Text(p.Value) ?? "", StringComparer.Ordinal);
            var volume = item["spec"] is JsonObject spec ? Text(spec["volumeName"]) : null;
            return new ReadItem(entry, bytes, new ItemFacts(GroupOf(Text(item["apiVersion"])), Text(item["kind"]), labels, volume), null);
        }
        catch (JsonException e)
        {
            return new ReadItem(entry, null, null, $"The item is not valid JSON: {e.Message}");
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string GroupOf(string? apiVersion) =>
        apiVersion is null ? "" : apiVersion.IndexOf('/') is var slash and > 0 ? apiVersion[..slash] : "";
}
