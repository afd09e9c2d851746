using System.Text.Json.Nodes;

namespace KubeBackup.Core.Restore.Transforms;

/// <summary>
/// Legacy service-account token secrets. The token controller generated <c>&lt;sa&gt;-token-xxxxx</c> for every
/// service account (before Kubernetes 1.24); the target cluster generates its own, signed by its own key, so restored
/// copies would be dead tokens and duplicates. A token secret made by hand is restored emptied, for the target's token
/// controller to fill.
/// </summary>
internal static class ServiceAccountTokens
{
    public const string SecretType = "kubernetes.io/service-account-token";
    public const string NameAnnotation = "kubernetes.io/service-account.name";
    public const string UidAnnotation = "kubernetes.io/service-account.uid";

    private const int SuffixLength = 5;

    /// <summary>Whether <paramref name="secretName"/> is the token controller's name for a token of <paramref name="serviceAccount"/>:
    /// <c>^&lt;sa&gt;-token-[a-z0-9]{5}$</c>.</summary>
    public static bool IsGeneratedName(string serviceAccount, string secretName)
    {
        var prefix = serviceAccount + "-token-";
        return secretName.Length == prefix.Length + SuffixLength
            && secretName.StartsWith(prefix, StringComparison.Ordinal)
            && secretName.AsSpan(prefix.Length).IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789") < 0;
    }

    /// <summary>The skip reason for an auto-generated token secret, else null.</summary>
    public static string? SkipReason(JsonObject secret)
    {
        if (Json.String(secret["type"]) != SecretType)
        {
            return null;
        }
        var metadata = Json.Object(secret, "metadata");
        return Json.String(Json.Object(metadata, "annotations")?[NameAnnotation]) is { } account
            && Json.String(metadata?["name"]) is { } name
            && IsGeneratedName(account, name)
            ? "auto-generated service-account token; the target cluster makes its own"
            : null;
    }

    /// <summary>Empties a hand-made token secret: the target's token controller fills token, CA and namespace for the
    /// target's service account (whose uid differs).</summary>
    public static void PrepareSecret(JsonObject secret)
    {
        if (Json.String(secret["type"]) != SecretType)
        {
            return;
        }
        if (Json.Object(secret, "data") is { } data)
        {
            data.Remove("token");
            data.Remove("ca.crt");
            data.Remove("namespace");
        }
        Json.Object(secret["metadata"], "annotations")?.Remove(UidAnnotation);
    }

    /// <summary>Drops the references to generated token secrets (which are not restored) from a ServiceAccount.</summary>
    public static void PrepareServiceAccount(JsonObject serviceAccount)
    {
        if (Json.String(Json.Field(serviceAccount["metadata"], "name")) is not { } account || Json.Array(serviceAccount, "secrets") is not { } secrets)
        {
            return;
        }
        Json.RemoveWhere(secrets, s => Json.String(Json.Field(s, "name")) is { } name && IsGeneratedName(account, name));
        if (secrets.Count == 0)
        {
            serviceAccount.Remove("secrets");
        }
    }
}
