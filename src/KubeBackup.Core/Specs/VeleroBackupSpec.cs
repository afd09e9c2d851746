using KubeBackup.Core.Backup;
using YamlDotNet.RepresentationModel;

namespace KubeBackup.Core.Specs;

/// <summary>
/// Reads a Velero <c>Backup</c> manifest (velero.io/v1) into a <see cref="BackupSpec"/>, so the YAML users already have
/// (the seed's section 3.5, <c>kubectl get backup -o yaml</c>) drives New-KbBackup -Spec. Wrong shapes and values are
/// errors naming the field and line; Velero features KubeBackup lacks, and fields Velero does not have, are warnings.
/// </summary>
public static class VeleroBackupSpec
{
    /// <summary>A manifest in a file or given as text (see <see cref="VeleroSpecParts.Load"/>).</summary>
    public static VeleroBackupManifest Load(string fileOrText, string baseDirectory) => VeleroSpecParts.Load(fileOrText, baseDirectory, Parse);

    /// <summary>One YAML document of kind Backup, apiVersion velero.io/v1. <paramref name="source"/> names it in messages.</summary>
    public static VeleroBackupManifest Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var root = SpecDocument.Single(yaml, source, "Backup");
        var warnings = new List<string>();
        var reader = new SpecReader(source, warnings);

        VeleroSpecParts.CheckHeader(reader, root, "Backup");
        var (name, labels) = VeleroSpecParts.Metadata(reader, root, "the backup is named by metadata.name or New-KbBackup -Name");

        var specNode = SpecReader.Get(root, "spec");
        var specMap = specNode switch
        {
            null => new YamlMappingNode(),
            YamlMappingNode mapping => mapping,
            _ => throw reader.Invalid(specNode, "spec", "must be a mapping of Backup fields"),
        };
        var spec = ParseSpec(specMap, "spec", warnings, source);
        // The backup's own labels win over spec.metadata.labels, which Velero uses for the backups a Schedule makes.
        var merged = new Dictionary<string, string>(spec.Labels, StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            merged[key] = value;
        }
        return new VeleroBackupManifest(name, spec with { Labels = merged }, warnings);
    }

    /// <summary>
    /// The Backup spec mapping itself: a Backup's <c>spec</c>, or a Schedule's <c>spec.template</c>. <paramref name="where"/>
    /// is its path for messages; warnings are added to <paramref name="warnings"/>.
    /// </summary>
    public static BackupSpec ParseSpec(YamlMappingNode spec, string where, List<string> warnings, string source)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(warnings);
        var reader = new SpecReader(source, warnings);
        reader.WarnUnknown(spec, where, "a Backup", VeleroBackupFields.All);
        foreach (var (key, value) in spec.Children)
        {
            if (key is YamlScalarNode { Value: { } field } && VeleroBackupFields.Ignored.TryGetValue(field, out var reason) && !SpecReader.IsNull(value) && !VeleroSpecParts.IsOff(value))
            {
                reader.Warn(key, $"{where}.{field} is ignored: {reason}.");
            }
        }

        var includedNamespaces = reader.StringList(spec, "includedNamespaces", $"{where}.includedNamespaces");
        var excludedNamespaces = reader.StringList(spec, "excludedNamespaces", $"{where}.excludedNamespaces");
        var includedResources = reader.StringList(spec, "includedResources", $"{where}.includedResources");
        var excludedResources = reader.StringList(spec, "excludedResources", $"{where}.excludedResources");
        VeleroSpecParts.CheckDisjoint(reader, spec, where, "Namespaces", includedNamespaces, excludedNamespaces);
        VeleroSpecParts.CheckDisjoint(reader, spec, where, "Resources", includedResources, excludedResources);

        var labelSelector = LabelSelectorText.Read(reader, spec, "labelSelector", $"{where}.labelSelector");
        var orLabelSelectors = VeleroSpecParts.OrSelectors(reader, spec, where);
        if (SpecReader.Get(spec, "labelSelector") is not null && SpecReader.Get(spec, "orLabelSelectors") is YamlSequenceNode { Children.Count: > 0 })
        {
            throw reader.Invalid(SpecReader.Get(spec, "orLabelSelectors")!, $"{where}.orLabelSelectors",
                "cannot be combined with labelSelector (Velero rejects a backup with both); move the labelSelector into orLabelSelectors or drop one");
        }

        var ttl = ManifestDuration.Read(reader, spec, "ttl", $"{where}.ttl");
        if (ttl <= TimeSpan.Zero)
        {
            throw reader.Invalid(SpecReader.Get(spec, "ttl")!, $"{where}.ttl", "must be a positive duration such as 720h (30 days); omit it for the default, 720h");
        }

        var metadata = reader.Mapping(spec, "metadata", $"{where}.metadata");
        if (metadata is not null)
        {
            reader.WarnUnknown(metadata, $"{where}.metadata", "a backup metadata", ["labels"]);
        }

        return new BackupSpec
        {
            IncludedNamespaces = includedNamespaces,
            ExcludedNamespaces = excludedNamespaces,
            IncludedResources = includedResources,
            ExcludedResources = excludedResources,
            IncludeClusterResources = reader.Bool(spec, "includeClusterResources", $"{where}.includeClusterResources"),
            LabelSelector = labelSelector,
            OrLabelSelectors = orLabelSelectors,
            Ttl = ttl ?? BackupSpec.DefaultTtl,
            StorageLocation = reader.String(spec, "storageLocation", $"{where}.storageLocation") is { Length: > 0 } location ? location : null,
            Labels = metadata is null ? new Dictionary<string, string>() : VeleroSpecParts.Labels(reader, metadata, $"{where}.metadata.labels"),
            Hooks = VeleroBackupHooks.Read(reader, spec, where),
            SnapshotVolumes = reader.Bool(spec, "snapshotVolumes", $"{where}.snapshotVolumes") ?? false,
            SnapshotTimeout = SnapshotTimeout(reader, spec, where),
        };
    }

    private static TimeSpan SnapshotTimeout(SpecReader reader, YamlMappingNode spec, string where)
    {
        var timeout = ManifestDuration.Read(reader, spec, "csiSnapshotTimeout", $"{where}.csiSnapshotTimeout");
        if (timeout <= TimeSpan.Zero)
        {
            throw reader.Invalid(SpecReader.Get(spec, "csiSnapshotTimeout")!, $"{where}.csiSnapshotTimeout", "must be a positive duration such as 10m; omit it for the default, 10m");
        }
        return timeout ?? BackupSpec.DefaultSnapshotTimeout;
    }
}
