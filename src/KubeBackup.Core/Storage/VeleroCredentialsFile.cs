using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Storage;

/// <summary>
/// A credentials file as Velero mounts it (<c>credentials-velero</c>): the AWS shared-credentials INI format
/// (<c>[default]</c>, <c>aws_access_key_id=...</c>, <c>aws_secret_access_key=...</c>, optional
/// <c>aws_session_token</c>) for S3 and OSS, or <c>KEY=VALUE</c> lines (Velero's Azure plugin format) and
/// Azure connection strings for Azure. Error messages name the file and the missing setting, never a value.
/// </summary>
public sealed class VeleroCredentialsFile
{
    private readonly Dictionary<string, Dictionary<string, string>> _sections;

    private VeleroCredentialsFile(string path, string text, Dictionary<string, Dictionary<string, string>> sections)
    {
        Path = path;
        Text = text;
        _sections = sections;
    }

    public string Path { get; }

    /// <summary>The whole file, trimmed (an Azure connection string file is one line).</summary>
    internal string Text { get; }

    public static VeleroCredentialsFile Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KbException(ErrorIds.StorageCredentialFileInvalid, KbErrorCategory.ReadError, path,
                $"Could not read the credentials file '{path}': {e.Message}", e);
        }
        return Parse(path, text);
    }

    internal static VeleroCredentialsFile Parse(string path, string text)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        var current = sections[string.Empty] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }
            if (line[0] == '[' && line[^1] == ']')
            {
                var name = line[1..^1].Trim();
                // "[profile x]" is the config-file spelling of the same profile.
                name = name.StartsWith("profile ", StringComparison.OrdinalIgnoreCase) ? name[8..].Trim() : name;
                current = sections.TryGetValue(name, out var existing) ? existing : sections[name] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                continue;
            }
            var equals = line.IndexOf('=');
            if (equals > 0)
            {
                current[line[..equals].Trim()] = line[(equals + 1)..].Trim().Trim('"');
            }
        }
        return new VeleroCredentialsFile(path, text.Trim(), sections);
    }

    /// <summary>A setting outside any section (Velero's Azure <c>KEY=VALUE</c> format), or null.</summary>
    public string? Get(string name) => _sections[string.Empty].GetValueOrDefault(name) is { Length: > 0 } value ? value : null;

    /// <summary>The access key pair of <paramref name="profile"/> (default: "default").</summary>
    public AccessKeyCredentials GetAccessKey(string? profile)
    {
        profile = string.IsNullOrEmpty(profile) ? "default" : profile;
        var values = _sections.GetValueOrDefault(profile);
        // A file with only top-level lines is taken as the default profile.
        if (values is null && profile == "default" && _sections.Count == 1)
        {
            values = _sections[string.Empty];
        }
        if (values is null)
        {
            throw Invalid($"has no [{profile}] profile");
        }
        var id = values.GetValueOrDefault("aws_access_key_id");
        var secret = values.GetValueOrDefault("aws_secret_access_key");
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret))
        {
            throw Invalid($"profile [{profile}] needs both aws_access_key_id and aws_secret_access_key");
        }
        return new AccessKeyCredentials(id, secret, values.GetValueOrDefault("aws_session_token"), $"{Path} [{profile}]");
    }

    private KbException Invalid(string problem) =>
        new(ErrorIds.StorageCredentialFileInvalid, KbErrorCategory.InvalidData, Path,
            $"The credentials file '{Path}' {problem}. Expected Velero's credentials-velero format: [default] / aws_access_key_id=... / aws_secret_access_key=...");

    public override string ToString() => $"credentials file {Path}";
}
