using System.Text.Json.Nodes;
using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Cluster.Listing;
using KubeBackup.Core.Cluster.Selectors;
using KubeBackup.Core.Common;

namespace KubeBackup.Core.Backup;

/// <summary>
/// A <see cref="BackupSpec"/> resolved against a live cluster: which resource types are listed, in which namespaces,
/// which objects pass the selectors, and which cluster-scoped objects come along (Velero's rules). Filters that name
/// nothing the cluster has are reported as warnings, never silently ignored.
/// </summary>
internal sealed class BackupScope
{
    private const int MaxNamespacesListedApart = 8;

    private readonly NamePatterns _excludedNamespaces;
    private readonly LabelSelector _selector;
    private readonly IReadOnlyList<LabelSelector> _orSelectors;

    private BackupScope(BackupSpec spec)
    {
        _excludedNamespaces = new NamePatterns(spec.ExcludedNamespaces);
        _selector = spec.LabelSelector is { Length: > 0 } text ? LabelSelector.Parse(text) : LabelSelector.Everything;
        _orSelectors = spec.OrLabelSelectors.Select(LabelSelector.Parse).ToList();
    }

    /// <summary>Namespaced types to list.</summary>
    public required IReadOnlyList<ApiResource> NamespacedTypes { get; init; }

    /// <summary>Cluster-scoped types listed in full (not namespaces: their objects follow the namespace filter).</summary>
    public required IReadOnlyList<ApiResource> ClusterTypes { get; init; }

    /// <summary>Null when every namespace not excluded is in scope (lists span all namespaces); otherwise the namespaces to list.</summary>
    public required IReadOnlyList<string>? Namespaces { get; init; }

    /// <summary>The Namespace objects of the namespaces in scope, when namespaces are backed up at all.</summary>
    public required IReadOnlyDictionary<string, JsonObject> NamespaceObjects { get; init; }

    public required ApiResource? NamespaceType { get; init; }

    /// <summary>Velero's default with a namespace filter: the PVs of backed-up claims and the CRDs of backed-up custom resources.</summary>
    public required bool TakeRelatedClusterItems { get; init; }

    public required ApiResource? PersistentVolumeType { get; init; }

    public required ApiResource? CrdType { get; init; }

    /// <summary>Passed to the server with every list; or-selectors cannot be, so they are matched here.</summary>
    public string? ServerSelector => _orSelectors.Count == 0 && !_selector.IsEverything ? _selector.ToString() : null;

    public bool HasSelector => !_selector.IsEverything || _orSelectors.Count > 0;

    public bool InScope(string? @namespace) =>
        @namespace is null || (!_excludedNamespaces.Matches(@namespace) && (ChosenNamespaces is null || ChosenNamespaces.Contains(@namespace)));

    private HashSet<string>? ChosenNamespaces => field ??= Namespaces?.ToHashSet(StringComparer.Ordinal);

    public bool MatchesSelectors(JsonObject item)
    {
        var labels = item["metadata"]?["labels"] as JsonObject;
        return _orSelectors.Count == 0 ? _selector.Matches(labels) : _orSelectors.Any(s => s.Matches(labels));
    }

    public bool MatchesSelectors(IReadOnlyDictionary<string, string>? labels) =>
        _orSelectors.Count == 0 ? _selector.Matches(labels) : _orSelectors.Any(s => s.Matches(labels));

    /// <summary>
    /// The lists to run: per namespace when a few namespaces are chosen, across all namespaces otherwise (then the
    /// namespace filter applies here), so a backup of most of a large cluster does not make types × namespaces requests.
    /// </summary>
    public IEnumerable<ListRequest> Lists(IEnumerable<ApiResource> namespacedTypes, IEnumerable<ApiResource> clusterTypes, ResourceListOptions options)
    {
        var listOptions = options with { LabelSelector = ServerSelector };
        foreach (var type in namespacedTypes)
        {
            if (Namespaces is null || Namespaces.Count > MaxNamespacesListedApart)
            {
                yield return new ListRequest(type, listOptions);
            }
            else
            {
                foreach (var ns in Namespaces)
                {
                    yield return new ListRequest(type, listOptions with { Namespace = ns });
                }
            }
        }
        foreach (var type in clusterTypes)
        {
            yield return new ListRequest(type, listOptions);
        }
    }

    public static async Task<BackupScope> ResolveAsync(ResourceLister lister, DiscoveredResources discovered, BackupSpec spec, BackupJournal journal, ResourceListOptions options, CancellationToken cancellationToken)
    {
        var types = SelectTypes(discovered, spec, journal);
        var namespaceType = discovered.Find("namespaces") is { IsBackupCandidate: true } ns ? ns : null;
        var namespaceListType = discovered.All.FirstOrDefault(r => r.Group.Length == 0 && r.Resource == "namespaces")
            ?? throw new InvalidOperationException("The cluster serves no namespaces resource.");

        var included = new NamePatterns(spec.IncludedNamespaces);
        var excluded = new NamePatterns(spec.ExcludedNamespaces);
        var all = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        await foreach (var item in lister.ListAsync(namespaceListType, options with { LabelSelector = null }, cancellationToken).ConfigureAwait(false))
        {
            if ((string?)item["metadata"]?["name"] is { } name)
            {
                all[name] = item;
            }
        }
        foreach (var pattern in included.Unmatched(all.Keys))
        {
            journal.Warn(pattern, NamePatterns.HasWildcards(pattern)
                ? $"The namespace pattern '{pattern}' matches no namespace of the cluster."
                : $"Namespace '{pattern}' does not exist in the cluster; nothing of it is backed up.");
        }
        foreach (var pattern in excluded.Unmatched(all.Keys))
        {
            journal.Warn(pattern, $"The excluded namespace {(NamePatterns.HasWildcards(pattern) ? "pattern " : "")}'{pattern}' matches no namespace of the cluster.");
        }
        var inScope = all.Where(p => included.MatchesEverything ? true : included.Matches(p.Key))
            .Where(p => !excluded.Matches(p.Key))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

        var everyNamespace = included.MatchesEverything;
        var clusterTypes = spec.IncludeClusterResources switch
        {
            false => [],
            true => types.Where(t => !t.Namespaced),
            null => everyNamespace ? types.Where(t => !t.Namespaced) : [],
        };
        return new BackupScope(spec)
        {
            NamespacedTypes = types.Where(t => t.Namespaced).ToList(),
            ClusterTypes = clusterTypes.Where(t => !ReferenceEquals(t, namespaceType) && t.FullName != "namespaces").ToList(),
            Namespaces = everyNamespace ? null : inScope.Keys.Order(StringComparer.Ordinal).ToList(),
            NamespaceObjects = types.Any(t => t.FullName == "namespaces") ? inScope : new Dictionary<string, JsonObject>(),
            NamespaceType = types.FirstOrDefault(t => t.FullName == "namespaces"),
            TakeRelatedClusterItems = spec.IncludeClusterResources is null && !everyNamespace,
            PersistentVolumeType = types.FirstOrDefault(t => t.FullName == "persistentvolumes"),
            CrdType = types.FirstOrDefault(t => t.FullName == "customresourcedefinitions.apiextensions.k8s.io"),
        };
    }

    /// <summary>The backup candidates that pass the resource filters; unknown or unlistable names are warnings.</summary>
    private static List<ApiResource> SelectTypes(DiscoveredResources discovered, BackupSpec spec, BackupJournal journal)
    {
        HashSet<string> Resolve(IEnumerable<string> names, string role)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in names.Where(n => !string.IsNullOrWhiteSpace(n) && n.Trim() != "*"))
            {
                if (discovered.Find(name) is not { } type)
                {
                    journal.Warn(name, $"The cluster serves no resource type '{name}' ({role}); check the spelling (plural, plural.group, short name or kind).");
                }
                else if (!type.IsBackupCandidate && role == "included")
                {
                    journal.Warn(name, $"'{name}' ({type.FullName}) cannot be backed up: {type.SkipReason}.");
                }
                else
                {
                    set.Add(type.FullName);
                }
            }
            return set;
        }

        var includeAll = spec.IncludedResources.Count == 0 || spec.IncludedResources.Any(n => n.Trim() == "*");
        var included = Resolve(spec.IncludedResources, "included");
        var excluded = Resolve(spec.ExcludedResources, "excluded");
        return discovered.BackupCandidates.Where(t => (includeAll || included.Contains(t.FullName)) && !excluded.Contains(t.FullName)).ToList();
    }
}
