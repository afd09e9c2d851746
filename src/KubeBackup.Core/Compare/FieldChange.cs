namespace KubeBackup.Core.Compare;

/// <summary>
/// One field that differs between two objects: its readable path (<c>spec.replicas</c>,
/// <c>metadata.labels["app.kubernetes.io/name"]</c>, <c>spec.template.spec.containers[name=web].image</c>) and the
/// compact JSON of each side, null where the field is absent.
/// </summary>
public sealed record FieldChange(string Path, string? Before, string? After)
{
    public override string ToString() => $"{Path}: {Before ?? "(absent)"} -> {After ?? "(absent)"}";
}
