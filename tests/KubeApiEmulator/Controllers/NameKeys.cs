namespace KubeApiEmulator.Controllers;

/// <summary>Settings keyed by "namespace/name", where a key ending in <c>*</c> is a prefix.</summary>
internal static class NameKeys
{
    /// <summary>
    /// The value for "namespace/name": its exact key, else the longest key ending in <c>*</c> whose text before the
    /// <c>*</c> starts it; default when none matches.
    /// </summary>
    internal static T? Lookup<T>(IReadOnlyDictionary<string, T> settings, string key)
    {
        if (settings.TryGetValue(key, out var exact))
            return exact;
        var best = -1;
        T? found = default;
        foreach (var (pattern, value) in settings)
        {
            if (pattern.EndsWith('*') && pattern.Length - 1 > best && key.StartsWith(pattern[..^1], StringComparison.Ordinal))
            {
                best = pattern.Length - 1;
                found = value;
            }
        }
        return found;
    }
}
