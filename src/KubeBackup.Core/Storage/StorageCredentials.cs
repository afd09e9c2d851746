namespace KubeBackup.Core.Storage;

/// <summary>
/// An access key pair (AWS, S3-compatible stores, Alibaba Cloud), optionally with a session token. Its
/// <see cref="ToString"/> names only where it came from, so a log line or a debugger never shows the secret;
/// <see cref="Scrub"/> removes every part of it from a message that a server or an SDK produced.
/// </summary>
public sealed class AccessKeyCredentials
{
    public AccessKeyCredentials(string accessKeyId, string secretAccessKey, string? sessionToken, string source)
    {
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        SessionToken = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
        Source = source;
    }

    public string AccessKeyId { get; }

    public string SecretAccessKey { get; }

    public string? SessionToken { get; }

    /// <summary>Where the keys were read from, for messages: "ALIBABA_CLOUD_ACCESS_KEY_ID", "/etc/velero/credentials [default]".</summary>
    public string Source { get; }

    public string Scrub(string message) => StorageSecrets.Scrub(message, AccessKeyId, SecretAccessKey, SessionToken);

    public override string ToString() => $"access key from {Source}";
}

/// <summary>Removing secrets from text that is about to reach a person.</summary>
public static class StorageSecrets
{
    public const string Redacted = "***";

    public static string Scrub(string message, params string?[] secrets)
    {
        foreach (var secret in secrets)
        {
            // Very short values would blank out ordinary words; no real key or token is that short.
            if (!string.IsNullOrEmpty(secret) && secret.Length >= 8)
            {
                message = message.Replace(secret, Redacted, StringComparison.Ordinal);
            }
        }
        return message;
    }
}
