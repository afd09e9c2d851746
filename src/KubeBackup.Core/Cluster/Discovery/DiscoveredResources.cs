using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Cluster.Discovery;

/// <summary>
/// The resource types a cluster serves, and lookups by the names users type: <c>deployments</c>,
/// <c>deployments.apps</c>, <c>deployments.v1.apps</c>, <c>deploy</c>, <c>Deployment</c>, <c>events.events.k8s.io</c>.
/// </summary>
public sealed class DiscoveredResources
{
    public DiscoveredResources(IReadOnlyList<ApiResource> all, IReadOnlyList<FailedApiGroup> failedGroups)
    {
        All = all;
        FailedGroups = failedGroups;
        BackupCandidates = [.. all.Where(r => r.IsBackupCandidate)];
        Skipped = [.. all.Where(r => !r.IsBackupCandidate)];
    }

    /// <summary>Every served resource type, skipped ones included, core group first.</summary>
    public IReadOnlyList<ApiResource> All { get; }

    /// <summary>The resource types a backup lists.</summary>
    public IReadOnlyList<ApiResource> BackupCandidates { get; }

    /// <summary>Resource types a backup does not list, each with its <see cref="ApiResource.SkipReason"/>.</summary>
    public IReadOnlyList<ApiResource> Skipped { get; }

    public IReadOnlyList<FailedApiGroup> FailedGroups { get; }

    /// <summary>
    /// The resource type a name means, or null. Backup candidates win over skipped types and the core group over
    /// others, so <c>events</c> means the events a backup takes.
    /// </summary>
    public ApiResource? Find(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var trimmed = name.Trim();
        return Ordered().FirstOrDefault(r => Matches(r, trimmed));
    }

    /// <summary>Like <see cref="Find"/>, but an unknown name is a <see cref="KbException"/> listing close matches.</summary>
    public ApiResource Resolve(string name)
    {
        if (Find(name) is { } found)
        {
            return found;
        }

        var close = CloseMatches(name.Trim());
        var hint = close.Count > 0 ? $" Did you mean: {string.Join(", ", close)}?" : " Resource types are named by plural (deployments), optionally with the group (deployments.apps), by short name (deploy) or by kind (Deployment).";
        throw new KbException(ErrorIds.ResourceTypeNotFound, KbErrorCategory.ObjectNotFound, name,
            $"The cluster serves no resource type '{name}'.{hint}");
    }

    private IEnumerable<ApiResource> Ordered() =>
        All.OrderBy(r => r.IsBackupCandidate ? 0 : 1).ThenBy(r => r.Group.Length == 0 ? 0 : 1);

    private static bool Matches(ApiResource resource, string name)
    {
        if (MatchesType(resource, name))
        {
            return true;
        }

        // "resource.group" or "resource.version.group"; the type part may itself be any of the plain forms.
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == name.Length - 1)
        {
            return false;
        }

        var type = name[..dot];
        var rest = name[(dot + 1)..];
        if (!MatchesType(resource, type))
        {
            return false;
        }

        return rest.Equals(resource.Group, StringComparison.OrdinalIgnoreCase)
            || rest.Equals($"{resource.Version}.{resource.Group}".TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
    }

    private static bool MatchesType(ApiResource resource, string name) =>
        resource.Resource.Equals(name, StringComparison.OrdinalIgnoreCase)
        || resource.Kind.Equals(name, StringComparison.OrdinalIgnoreCase)
        || (resource.SingularName.Length > 0 && resource.SingularName.Equals(name, StringComparison.OrdinalIgnoreCase))
        || resource.ShortNames.Contains(name, StringComparer.OrdinalIgnoreCase);

    private List<string> CloseMatches(string name)
    {
        var lower = name.ToLowerInvariant();
        return [.. All
            .Select(r => (r.FullName, Distance: Math.Min(EditDistance(lower, r.Resource), EditDistance(lower, r.FullName))))
            .Where(m => m.Distance <= Math.Max(2, lower.Length / 4) || m.FullName.Contains(lower, StringComparison.Ordinal))
            .OrderBy(m => m.Distance)
            .ThenBy(m => m.FullName, StringComparer.Ordinal)
            .Select(m => m.FullName)
            .Distinct()
            .Take(5)];
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
