using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Common;
using KubeBackup.Core.Operations;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Compare;

/// <summary>
/// Which backup items a comparison covers: the namespace and resource filters of <see cref="CompareOptions"/>, with
/// resource names resolved through the cluster's discovery where there is one (so <c>deploy</c> means
/// <c>deployments.apps</c>), else matched by plural or plural.group; and never the kinds a restore never creates.
/// </summary>
internal sealed class CompareFilter
{
    private readonly NamePatterns _included;
    private readonly NamePatterns _excluded;
    private readonly HashSet<string>? _includedTypes;
    private readonly HashSet<string> _excludedTypes;

    public CompareFilter(CompareOptions options, DiscoveredResources? discovered, IOperationSink sink)
    {
        _included = new NamePatterns(options.IncludedNamespaces);
        _excluded = new NamePatterns(options.ExcludedNamespaces);
        var includeAll = options.IncludedResources.Count == 0 || options.IncludedResources.Any(n => n.Trim() == "*");
        _includedTypes = includeAll ? null : Resolve(options.IncludedResources, discovered, sink);
        _excludedTypes = Resolve(options.ExcludedResources, discovered, sink);
    }

    /// <summary>What a restore never creates (nodes, events, leases, the target's own root CA bundle...): such items always differ and mean nothing.</summary>
    public static bool IsNeverCompared(string group, string resource) => Restore.Transforms.NeverRestored.ReasonFor(group, FullName(group, resource)) is not null;

    public static string FullName(string group, string resource) => group.Length == 0 ? resource : $"{resource}.{group}";

    public bool Matches(ItemKey key) =>
        Restore.Transforms.NeverRestored.ReasonFor(key) is null && NamespaceMatches(key) && TypeMatches(key.Group, key.Resource);

    public bool TypeMatches(string group, string resource)
    {
        var full = FullName(group, resource);
        return (_includedTypes is null || _includedTypes.Contains(full) || _includedTypes.Contains(resource))
            && !_excludedTypes.Contains(full) && !_excludedTypes.Contains(resource);
    }

    private bool NamespaceMatches(ItemKey key)
    {
        // A Namespace object follows the filter by its own name; other cluster-scoped items only come along with every namespace.
        var ns = key.Namespace ?? (key.Group.Length == 0 && key.Resource == "namespaces" ? key.Name : null);
        if (ns is null)
        {
            return _included.MatchesEverything;
        }
        return (_included.MatchesEverything || _included.Matches(ns)) && !_excluded.Matches(ns);
    }

    private static HashSet<string> Resolve(IEnumerable<string> names, DiscoveredResources? discovered, IOperationSink sink)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names.Where(n => !string.IsNullOrWhiteSpace(n) && n.Trim() != "*").Select(n => n.Trim()))
        {
            if (discovered?.Find(name) is { } type)
            {
                set.Add(type.FullName);
            }
            else
            {
                if (discovered is not null)
                {
                    sink.Warning($"The cluster serves no resource type '{name}'; it is matched against the backup's items by plural or plural.group only.");
                }
                set.Add(name);
            }
        }
        return set;
    }
}
