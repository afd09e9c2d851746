namespace KubeApiEmulator.Resources;

/// <summary>One served resource of one group/version, as discovery describes it.</summary>
public sealed record ResourceDefinition
{
    public required string Group { get; init; }
    public required string Version { get; init; }
    public required string Plural { get; init; }
    public required string Kind { get; init; }
    public required bool Namespaced { get; init; }
    public string Singular { get; init; } = "";
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    public IReadOnlyList<string> Verbs { get; init; } = ResourceVerbs.All;
    public bool HasStatus { get; init; }
    public bool HasScale { get; init; }
    /// <summary>Where the scale subresource reads and writes; CRDs name their own paths.</summary>
    public ScalePaths Scale { get; init; } = ScalePaths.Default;
    /// <summary>Extra subresources listed in discovery (exec, log, ...); they are not stored.</summary>
    public IReadOnlyList<string> ExtraSubresources { get; init; } = [];
    /// <summary>Objects of resources served by several groups (events) share one store bucket.</summary>
    public string? StorageGroup { get; init; }
    public NameRule NameRule { get; init; } = NameRule.Subdomain;
    /// <summary>Whether DELETE answers with the deleted object instead of a Status.</summary>
    public bool ReturnsDeletedObject { get; init; }
    /// <summary>Served by a CustomResourceDefinition rather than built in (no strategic merge patch).</summary>
    public bool IsCustom { get; init; }
    /// <summary>Extra field selector paths the real server supports for this kind.</summary>
    public IReadOnlyList<string> SelectableFields { get; init; } = [];
    /// <summary>Additional Table columns after NAME (AGE is always last).</summary>
    public IReadOnlyList<Tables.TableColumn> Columns { get; init; } = [];

    public string GroupVersion => Group.Length == 0 ? Version : Group + "/" + Version;
    public string StorageKey => (StorageGroup ?? Group) + "/" + Plural;
    /// <summary>The resource as error messages name it: "deployments.apps" or "configmaps".</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : Plural + "." + Group;
    public string ListKind => Kind + "List";
    public string SingularName => Singular.Length > 0 ? Singular : Kind.ToLowerInvariant();
}

/// <summary>The dotted paths behind a scale subresource (a CRD's specReplicasPath, statusReplicasPath, labelSelectorPath).</summary>
public sealed record ScalePaths(string SpecReplicas, string StatusReplicas, string? LabelSelector)
{
    public static readonly ScalePaths Default = new("spec.replicas", "status.replicas", null);
}

public enum NameRule
{
    Subdomain,
    Label,
    PathSegment,
}

public static class ResourceVerbs
{
    public static readonly IReadOnlyList<string> All =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    public static readonly IReadOnlyList<string> NoCollectionDelete =
        ["create", "delete", "get", "list", "patch", "update", "watch"];
}
