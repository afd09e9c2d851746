using KubeBackup.Core.Backup;
using KubeBackup.Core.Cluster.Discovery;
using KubeBackup.Core.Repository;

namespace KubeBackup.Core.Restore;

/// <summary>
/// Velero's included/excluded resources for a restore. A name matches a type of the backup by its plural, its full name
/// (<c>deployments.apps</c>) or anything the target cluster's discovery resolves to it (<c>deploy</c>, <c>Deployment</c>);
/// types the target does not serve yet (custom resources whose CRD comes with the restore) match by plural and full name.
/// </summary>
internal sealed class ResourceFilter
{
    private readonly HashSet<string> _included;
    private readonly HashSet<string> _excluded;
    private readonly bool _everything;

    public ResourceFilter(IReadOnlyList<string> included, IReadOnlyList<string> excluded, DiscoveredResources target, IEnumerable<ItemKey> backupKeys, BackupJournal? journal)
    {
        var known = backupKeys.Select(FullName).ToHashSet(StringComparer.Ordinal);
        _everything = included.Count == 0 || included.Contains("*");
        _included = Resolve(included.Where(n => n != "*"), target, known, journal);
        _excluded = Resolve(excluded, target, known, journal);
    }

    public bool Includes(ItemKey key) => IncludesName(FullName(key));

    public bool IncludesName(string fullName) =>
        !_excluded.Contains(fullName) && !_excluded.Contains("*") && (_everything || _included.Contains(fullName));

    private static HashSet<string> Resolve(IEnumerable<string> names, DiscoveredResources target, HashSet<string> known, BackupJournal? journal)
    {
        var resolved = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in names)
        {
            var name = raw.Trim().ToLowerInvariant();
            if (name == "*")
            {
                resolved.Add(name);
            }
            else if (known.Contains(name))
            {
                resolved.Add(name);
            }
            else if (known.FirstOrDefault(k => k.StartsWith(name + ".", StringComparison.Ordinal)) is { } withGroup && target.Find(raw) is null)
            {
                resolved.Add(withGroup);
            }
            else if (target.Find(raw) is { } type)
            {
                resolved.Add(type.FullName);
            }
            else if (journal is not null)
            {
                journal.Warn(raw, $"The resource filter '{raw}' names no resource type of the backup or the target cluster.");
            }
        }
        return resolved;
    }

    private static string FullName(ItemKey key) => key.Group.Length == 0 ? key.Resource : $"{key.Resource}.{key.Group}";
}
