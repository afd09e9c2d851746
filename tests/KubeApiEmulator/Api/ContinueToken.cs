using System.Text;
using System.Text.Json.Nodes;

namespace KubeApiEmulator.Api;

/// <summary>
/// A list continue token like the real server's: base64url JSON with the snapshot revision and the key
/// after which the next page starts.
/// </summary>
public sealed record ContinueToken(long Revision, string Namespace, string Name)
{
    public string Encode()
    {
        var json = new JsonObject
        {
            ["v"] = "meta.k8s.io/v1",
            ["rv"] = Revision,
            ["start"] = (Namespace.Length > 0 ? Namespace + "/" : "") + Name + "\u0000",
        }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static ContinueToken Decode(string token, bool namespaced)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var node = JsonNode.Parse(Convert.FromBase64String(b64))!;
            var rv = node["rv"]!.GetValue<long>();
            var start = ((string?)node["start"] ?? "").TrimEnd('\u0000');
            var slash = start.IndexOf('/');
            return namespaced && slash >= 0
                ? new ContinueToken(rv, start[..slash], start[(slash + 1)..])
                : new ContinueToken(rv, "", start);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
        {
            throw ApiException.BadRequest($"continue key is not valid: {e.Message}");
        }
    }
}
