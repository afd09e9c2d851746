using System.Text.Json;
using System.Text.Json.Nodes;
using KubeBackup.Core.Errors;

namespace KubeBackup.Core.Cluster.Selectors;

/// <summary>
/// A Kubernetes label selector, parsed and matched as the API server does, so that a selector filters pods and hooks
/// in the engine exactly as it filters a list request.
/// </summary>
public sealed class LabelSelector
{
    private const string Example = "app=web,tier in (frontend,backend),environment!=dev,!canary";

    private readonly IReadOnlyList<LabelRequirement> requirements;
    private readonly string text;

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements)
    {
        this.requirements = requirements;
        text = string.Join(',', requirements);
    }

    /// <summary>The empty selector: every object matches.</summary>
    public static LabelSelector Everything { get; } = new([]);

    public bool IsEverything => requirements.Count == 0;

    /// <summary>
    /// Kubernetes label selector syntax: equality (<c>a=b</c>, <c>a==b</c>, <c>a!=b</c>) and set-based
    /// (<c>a in (x,y)</c>, <c>a notin (x)</c>, <c>a</c>, <c>!a</c>), comma = AND; also <c>a&gt;1</c> and <c>a&lt;1</c>,
    /// which the API server accepts for integer labels. Empty or blank text is <see cref="Everything"/>.
    /// </summary>
    /// <exception cref="KbException"><see cref="ErrorIds.LabelSelectorInvalid"/> for text the API server would refuse.</exception>
    public static LabelSelector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (parsed, problem) = LabelSelectorParser.Parse(text);
        if (parsed is null)
        {
            throw new KbException(ErrorIds.LabelSelectorInvalid, KbErrorCategory.InvalidArgument, text,
                $"The label selector '{text}' is not valid: {problem}. A valid selector looks like: {Example}");
        }

        // The API server sorts requirements by key; a stable sort keeps the order of one key's terms.
        return parsed.Count == 0 ? Everything : new([.. parsed.OrderBy(r => r.Key, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// Checks a spec's selectors as Velero does (backups and restores alike): each parses, and a selector is not combined
    /// with or-selectors. <paramref name="errorId"/> names the spec in the error of the second rule.
    /// </summary>
    public static void ValidateSpec(string? selector, IReadOnlyList<string> orSelectors, string errorId)
    {
        if (selector is { Length: > 0 })
        {
            Parse(selector);
        }
        foreach (var or in orSelectors)
        {
            Parse(or);
        }
        if (selector is { Length: > 0 } && orSelectors.Count > 0)
        {
            throw new KbException(errorId, KbErrorCategory.InvalidArgument, selector,
                "A label selector and or-selectors cannot be combined (as in Velero): put the selector's terms into each or-selector.");
        }
    }

    public bool Matches(IReadOnlyDictionary<string, string>? labels) =>
        requirements.All(requirement => requirement.Matches(key => labels is not null && labels.TryGetValue(key, out var value) ? value : null));

    /// <summary>Matches an object's <c>metadata.labels</c> (null: an object without labels).</summary>
    public bool Matches(JsonObject? labels) =>
        requirements.All(requirement => requirement.Matches(key => LabelValue(labels, key)));

    /// <summary>The canonical text, which the API server accepts as a <c>labelSelector</c> parameter.</summary>
    public override string ToString() => text;

    private static string? LabelValue(JsonObject? labels, string key) =>
        labels is not null && labels.TryGetPropertyValue(key, out var node) && node is JsonValue value
            && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : null;
}
