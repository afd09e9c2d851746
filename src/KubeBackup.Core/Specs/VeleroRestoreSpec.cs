using KubeBackup.Core.Common;
using KubeBackup.Core.Restore;
using YamlDotNet.RepresentationModel;

namespace KubeBackup.Core.Specs;

/// <summary>
/// Reads a Velero <c>Restore</c> manifest (velero.io/v1) into a <see cref="RestoreSpec"/>, so the YAML users already have
/// (<c>velero restore create ... -o yaml</c>, <c>kubectl get restore -o yaml</c>) drives a restore. Wrong shapes and values
/// are errors naming the field and line; Velero features KubeBackup lacks, and fields Velero does not have, are warnings.
/// </summary>
public static class VeleroRestoreSpec
{
    /// <summary>A manifest in a file or given as text (see <see cref="VeleroSpecParts.Load"/>).</summary>
    public static VeleroRestoreManifest Load(string fileOrText, string baseDirectory) => VeleroSpecParts.Load(fileOrText, baseDirectory, Parse);

    /// <summary>One YAML document of kind Restore, apiVersion velero.io/v1. <paramref name="source"/> names it in messages.</summary>
    public static VeleroRestoreManifest Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var root = SpecDocument.Single(yaml, source, "Restore");
        var warnings = new List<string>();
        var reader = new SpecReader(source, warnings);

        VeleroSpecParts.CheckHeader(reader, root, "Restore");
        var (name, labels) = VeleroSpecParts.Metadata(reader, root, "the restore is named by metadata.name");

        var specNode = SpecReader.Get(root, "spec") ?? throw reader.Invalid(root, "spec",
            "is missing; a Restore names what to restore in spec.backupName (or spec.scheduleName)");
        if (specNode is not YamlMappingNode spec)
        {
            throw reader.Invalid(specNode, "spec", "must be a mapping of Restore fields");
        }
        return new VeleroRestoreManifest(name, ParseSpec(reader, spec) with { Labels = labels }, warnings);
    }

    private static RestoreSpec ParseSpec(SpecReader reader, YamlMappingNode spec)
    {
        reader.WarnUnknown(spec, "spec", "a Restore", VeleroRestoreFields.All);
        foreach (var (key, value) in spec.Children)
        {
            if (key is YamlScalarNode { Value: { } field } && VeleroRestoreFields.Ignored.TryGetValue(field, out var reason)
                && !SpecReader.IsNull(value) && !VeleroSpecParts.IsOff(value) && !IsZeroDuration(value))
            {
                reader.Warn(key, $"spec.{field} is ignored: {reason}.");
            }
        }

        var (backupName, scheduleName) = Source(reader, spec);

        var includedNamespaces = reader.StringList(spec, "includedNamespaces", "spec.includedNamespaces");
        var excludedNamespaces = reader.StringList(spec, "excludedNamespaces", "spec.excludedNamespaces");
        var includedResources = reader.StringList(spec, "includedResources", "spec.includedResources");
        var excludedResources = reader.StringList(spec, "excludedResources", "spec.excludedResources");
        VeleroSpecParts.CheckDisjoint(reader, spec, "spec", "Namespaces", includedNamespaces, excludedNamespaces);
        VeleroSpecParts.CheckDisjoint(reader, spec, "spec", "Resources", includedResources, excludedResources);

        var labelSelector = LabelSelectorText.Read(reader, spec, "labelSelector", "spec.labelSelector");
        var orLabelSelectors = VeleroSpecParts.OrSelectors(reader, spec, "spec");
        if (SpecReader.Get(spec, "labelSelector") is not null && SpecReader.Get(spec, "orLabelSelectors") is YamlSequenceNode { Children.Count: > 0 })
        {
            throw reader.Invalid(SpecReader.Get(spec, "orLabelSelectors")!, "spec.orLabelSelectors",
                "cannot be combined with labelSelector (Velero rejects a restore with both); move the labelSelector into orLabelSelectors or drop one");
        }

        var statusIncluded = new List<string>();
        var statusExcluded = new List<string>();
        if (reader.Mapping(spec, "restoreStatus", "spec.restoreStatus") is { } restoreStatus)
        {
            reader.WarnUnknown(restoreStatus, "spec.restoreStatus", "a restoreStatus", VeleroRestoreFields.RestoreStatusFields);
            statusIncluded.AddRange(reader.StringList(restoreStatus, "includedResources", "spec.restoreStatus.includedResources"));
            statusExcluded.AddRange(reader.StringList(restoreStatus, "excludedResources", "spec.restoreStatus.excludedResources"));
        }

        if (reader.Bool(spec, "restorePVs", "spec.restorePVs") == false)
        {
            reader.Warn(spec.Children.Keys.First(k => k is YamlScalarNode { Value: "restorePVs" }), "spec.restorePVs: false is ignored: volumes are restored from their snapshots when the backup has them; "
                + "exclude persistentvolumeclaims and persistentvolumes to leave volumes out.");
        }

        return new RestoreSpec
        {
            BackupName = backupName,
            ScheduleName = scheduleName,
            IncludedNamespaces = includedNamespaces,
            ExcludedNamespaces = excludedNamespaces,
            IncludedResources = includedResources,
            ExcludedResources = excludedResources,
            LabelSelector = labelSelector,
            OrLabelSelectors = orLabelSelectors,
            NamespaceMapping = NamespaceMapping(reader, spec),
            IncludeClusterResources = reader.Bool(spec, "includeClusterResources", "spec.includeClusterResources"),
            ExistingResourcePolicy = Policy(reader, spec),
            RestoreStatusIncludedResources = statusIncluded,
            RestoreStatusExcludedResources = statusExcluded,
            PreserveNodePorts = reader.Bool(spec, "preserveNodePorts", "spec.preserveNodePorts") ?? false,
        };
    }

    /// <summary>backupName, or else scheduleName; with both Velero restores the named backup, and so does KubeBackup.</summary>
    private static (string? Backup, string? Schedule) Source(SpecReader reader, YamlMappingNode spec)
    {
        var backup = reader.String(spec, "backupName", "spec.backupName") is { Length: > 0 } b ? b : null;
        var schedule = reader.String(spec, "scheduleName", "spec.scheduleName") is { Length: > 0 } s ? s : null;
        if (backup is null && schedule is null)
        {
            throw reader.Invalid(spec, "spec",
                "names no backup; set backupName to the backup to restore, or scheduleName to restore that schedule's newest backup");
        }
        if (backup is not null && schedule is not null)
        {
            reader.Warn(SpecReader.Get(spec, "scheduleName")!,
                $"spec.scheduleName is ignored because spec.backupName is set; as Velero does, the backup '{backup}' is restored.");
            return (backup, null);
        }
        return (backup, schedule);
    }

    private static IReadOnlyDictionary<string, string> NamespaceMapping(SpecReader reader, YamlMappingNode spec)
    {
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.Mapping(spec, "namespaceMapping", "spec.namespaceMapping") is not { } node)
        {
            return mapping;
        }
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in node.Children)
        {
            var from = reader.Text(keyNode, "spec.namespaceMapping");
            var path = $"spec.namespaceMapping.{from}";
            var to = SpecReader.IsNull(valueNode) ? string.Empty : reader.Text(valueNode, path);
            if (NamespaceName.Problem(to) is { } problem)
            {
                throw reader.Invalid(valueNode, path, $"is not a namespace to restore into: {problem}");
            }
            if (sources.TryGetValue(to, out var other))
            {
                throw reader.Invalid(valueNode, path,
                    $"maps to '{to}', as spec.namespaceMapping.{other} does; two namespaces cannot be restored into one");
            }
            sources[to] = from;
            mapping[from] = to;
        }
        return mapping;
    }

    private static ExistingResourcePolicy Policy(SpecReader reader, YamlMappingNode spec) =>
        reader.String(spec, "existingResourcePolicy", "spec.existingResourcePolicy") switch
        {
            null or "" or "none" => ExistingResourcePolicy.Skip,
            "update" => ExistingResourcePolicy.Update,
            var other => throw reader.Invalid(SpecReader.Get(spec, "existingResourcePolicy")!, "spec.existingResourcePolicy",
                $"is '{other}'; use none (leave objects that already exist, the default) or update (patch them to the backed-up state)"),
        };

    // velero restore create writes itemOperationTimeout: 0s, which asks for Velero's default: nothing is lost.
    private static bool IsZeroDuration(YamlNode node) =>
        node is YamlScalarNode { Value: { } text } && DurationParser.TryParse(text.Trim(), out var duration) && duration == TimeSpan.Zero;
}
