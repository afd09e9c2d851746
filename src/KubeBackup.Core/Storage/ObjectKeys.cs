using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Storage;

/// <summary>
/// The rules every object key follows, checked before any provider touches storage: relative, '/'-separated,
/// no empty, '.' or '..' segments, no backslashes or control characters. This is what keeps a key (from a
/// manifest, a backup name, a crafted repository) from escaping the store's prefix or base directory.
/// </summary>
public static class ObjectKeys
{
    public const int MaxLength = 1024;

    public static string Validate(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxLength || key[0] == '/' || key[^1] == '/'
            || key.Contains('\\') || key.Any(char.IsControl) || (key.Length > 1 && key[1] == ':'))
        {
            throw Invalid(key);
        }
        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                throw Invalid(key);
            }
        }
        return key;
    }

    /// <summary>A listing prefix: empty (everything), or a valid key, optionally ending with '/'.</summary>
    public static string ValidatePrefix(string prefix)
    {
        if (prefix.Length == 0)
        {
            return prefix;
        }
        Validate(prefix.EndsWith('/') ? prefix[..^1] : prefix);
        return prefix;
    }

    public static string Combine(params string[] segments) => string.Join('/', segments.Where(s => s.Length > 0).Select(s => s.Trim('/')));

    private static KbException Invalid(string key) =>
        new(ErrorIds.InvalidObjectKey, KbErrorCategory.InvalidArgument, key,
            $"'{key}' is not a valid object key: keys are relative paths of '/'-separated names without '.', '..', empty names, backslashes or control characters.");
}
