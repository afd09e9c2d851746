using System.Text.Json.Nodes;
using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Semantics;

/// <summary>
/// The apiextensions naming and establishing controllers in one synchronous step: a CRD gets the names of its
/// spec that no other CRD of its group has accepted, NamesAccepted, and Established once all names are accepted.
/// A CRD that is not Established is not served.
/// </summary>
public static class CrdNaming
{
    /// <summary>Sets status.acceptedNames and the two conditions; true when the CRD is Established afterwards.</summary>
    public static bool Evaluate(JsonObject crd, IEnumerable<JsonObject> groupCrds, DateTimeOffset now)
    {
        var kind = crd.Text("spec.names.kind") ?? "";
        var requested = new Names(crd.Text("spec.names.plural") ?? "", crd.Text("spec.names.singular") is { Length: > 0 } s ? s : kind.ToLowerInvariant(),
            Strings(crd.At("spec.names.shortNames")), kind, crd.Text("spec.names.listKind") is { Length: > 0 } l ? l : kind + "List");
        var accepted = Names.From(crd.At("status.acceptedNames"));

        // As the real controller, the accepted names of every CRD of the group (this one included) count as used.
        var resources = new HashSet<string>(StringComparer.Ordinal);
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var other in groupCrds.Append(crd))
        {
            var names = Names.From(other.At("status.acceptedNames"));
            resources.UnionWith([names.Plural, names.Singular, .. names.ShortNames]);
            kinds.UnionWith([names.Kind, names.ListKind]);
        }

        string? reason = null, message = null;
        void Conflict(string r, string m) => (reason, message) = (r, m);
        var result = accepted;
        if (InUse(requested.Plural, accepted.Plural, resources) is { } plural)
            Conflict("PluralConflict", plural);
        else
            result = result with { Plural = requested.Plural };
        if (InUse(requested.Singular, accepted.Singular, resources) is { } singular)
            Conflict("SingularConflict", singular);
        else
            result = result with { Singular = requested.Singular };
        if (!requested.ShortNames.SequenceEqual(accepted.ShortNames))
        {
            var errors = requested.ShortNames.Where(n => !accepted.ShortNames.Contains(n))
                .Select(n => InUse(n, "", resources)).OfType<string>().ToList();
            if (errors.Count > 0)
                Conflict("ShortNamesConflict", errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]");
            else
                result = result with { ShortNames = requested.ShortNames };
        }
        if (InUse(requested.Kind, accepted.Kind, kinds) is { } kindError)
            Conflict("KindConflict", kindError);
        else
            result = result with { Kind = requested.Kind };
        if (InUse(requested.ListKind, accepted.ListKind, kinds) is { } listKind)
            Conflict("ListKindConflict", listKind);
        else
            result = result with { ListKind = requested.ListKind };

        var status = crd.Child("status");
        status["acceptedNames"] = result.ToNode(Strings(crd.At("spec.names.categories")));
        var conditions = status["conditions"] as JsonArray ?? [];
        var wasEstablished = Condition(conditions, "Established")?.Text("status") == "True";
        var namesAccepted = reason is null;
        var established = wasEstablished || namesAccepted;
        status["conditions"] = new JsonArray(
            Next(conditions, "NamesAccepted", namesAccepted, reason ?? "NoConflicts", message ?? "no conflicts found", now),
            wasEstablished
                ? Condition(conditions, "Established")!.DeepClone()
                : Next(conditions, "Established", established, established ? "InitialNamesAccepted" : "NotAccepted",
                    established ? "the initial names have been accepted" : "not all names are accepted", now));
        if (status["storedVersions"] is null)
        {
            var storage = (crd.At("spec.versions") as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(v => v.Flag("storage"));
            status["storedVersions"] = new JsonArray(storage?.Text("name") ?? "v1");
        }
        return established;
    }

    public static bool IsEstablished(JsonObject crd) =>
        Condition(crd.At("status.conditions") as JsonArray ?? [], "Established")?.Text("status") == "True";

    /// <summary>equalToAcceptedOrFresh: a name is fine when it is already this CRD's or nobody in the group uses it.</summary>
    private static string? InUse(string requested, string accepted, HashSet<string> used) =>
        requested == accepted || !used.Contains(requested) ? null : $"\"{requested}\" is already in use";

    private static JsonObject? Condition(JsonArray conditions, string type) =>
        conditions.OfType<JsonObject>().FirstOrDefault(c => c.Text("type") == type);

    /// <summary>A condition whose lastTransitionTime moves only when its status does.</summary>
    private static JsonObject Next(JsonArray current, string type, bool value, string reason, string message, DateTimeOffset now)
    {
        var status = value ? "True" : "False";
        var previous = Condition(current, type);
        var time = previous?.Text("status") == status ? previous.Text("lastTransitionTime") : Timestamps.Format(now);
        return new JsonObject
        {
            ["type"] = type, ["status"] = status, ["lastTransitionTime"] = time, ["reason"] = reason, ["message"] = message,
        };
    }

    private static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => (string?)x ?? "").Where(x => x.Length > 0).ToArray() : [];

    private sealed record Names(string Plural, string Singular, IReadOnlyList<string> ShortNames, string Kind, string ListKind)
    {
        public static Names From(JsonNode? node) => new(node.Text("plural") ?? "", node.Text("singular") ?? "",
            Strings(node?["shortNames"]), node.Text("kind") ?? "", node.Text("listKind") ?? "");

        /// <summary>In the field order and with the omitempty rules of CustomResourceDefinitionNames.</summary>
        public JsonObject ToNode(IReadOnlyList<string> categories)
        {
            var o = new JsonObject { ["plural"] = Plural };
            if (Singular.Length > 0)
                o["singular"] = Singular;
            if (ShortNames.Count > 0)
                o["shortNames"] = new JsonArray(ShortNames.Select(n => (JsonNode)n).ToArray());
            o["kind"] = Kind;
            if (ListKind.Length > 0)
                o["listKind"] = ListKind;
            if (categories.Count > 0)
                o["categories"] = new JsonArray(categories.Select(n => (JsonNode)n).ToArray());
            return o;
        }
    }
}
