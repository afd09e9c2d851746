namespace KubeApiEmulator.Patching;

/// <summary>
/// The patchMergeKey / patchStrategy tags of the built-in types that strategic merge patches rely on.
/// Lists not named here are replaced whole, as lists without a merge strategy are.
/// </summary>
public static class MergeKeys
{
    private static readonly Dictionary<string, string> ByField = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["imagePullSecrets"] = "name",
        ["hostAliases"] = "ip",
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
        ["topologySpreadConstraints"] = "topologyKey",
        ["resourceClaims"] = "name",
        ["schedulingGates"] = "name",
    };

    private static readonly HashSet<string> PrimitiveMergeLists = new(StringComparer.Ordinal) { "finalizers" };

    /// <summary>The merge key for a list at parentPath.field, or null when the list is replaced.</summary>
    public static string? For(string parentPath, string field)
    {
        if (field == "ports")
            return parentPath.EndsWith("containers[]", StringComparison.OrdinalIgnoreCase) ? "containerPort" : "port";
        return ByField.GetValueOrDefault(field);
    }

    public static bool IsPrimitiveMerge(string field) => PrimitiveMergeLists.Contains(field);
}
