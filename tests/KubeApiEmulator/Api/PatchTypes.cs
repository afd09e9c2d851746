using System.Text.Json.Nodes;
using KubeApiEmulator.Patching;
using KubeApiEmulator.Resources;

namespace KubeApiEmulator.Api;

/// <summary>The patch content types the server accepts and how each applies.</summary>
public static class PatchTypes
{
    public const string Json = "application/json-patch+json";
    public const string Merge = "application/merge-patch+json";
    public const string Strategic = "application/strategic-merge-patch+json";
    public const string Apply = "application/apply-patch+yaml";

    public static IReadOnlyList<string> Accepted(ResourceDefinition def) =>
        def.IsCustom ? [Json, Merge, Apply] : [Json, Merge, Strategic, Apply];

    /// <summary>Whether the patch itself names a resourceVersion, which makes it a precondition instead of being retried.</summary>
    public static bool SetsResourceVersion(string patchType, JsonNode patch) => patchType == Json
        ? patch is JsonArray ops && ops.Any(op => op.Text("path") == "/metadata/resourceVersion")
        : patch.At("metadata.resourceVersion") is not null;

    public static JsonObject ApplyTo(ResourceDefinition def, string patchType, JsonObject current, JsonNode patch, string name)
    {
        try
        {
            JsonNode? result = patchType switch
            {
                Json => JsonPatch.Apply(current, patch),
                Merge => MergePatch.Apply(current, patch),
                Strategic when !def.IsCustom && patch is JsonObject p => StrategicMergePatch.Apply(current, p),
                Apply when patch is JsonObject p => def.IsCustom ? MergePatch.Apply(current, p) : StrategicMergePatch.Apply(current, p),
                Strategic or Apply => throw ApiException.BadRequest("the patch must be a JSON object"),
                _ => throw ApiException.UnsupportedMediaType(patchType, Accepted(def)),
            };
            return result as JsonObject ?? throw ApiException.BadRequest("the patch result is not an object");
        }
        catch (PatchException e)
        {
            throw new ApiException(422, "Invalid", e.Message, new System.Text.Json.Nodes.JsonObject { ["name"] = name, ["kind"] = def.Kind });
        }
    }
}
